// API key secrets: random, shown once, stored only as a SHA-256 hash. A fast hash is right here:
// the secrets are 256 random bits, so there is nothing to brute-force.
import { createHash, randomBytes } from 'node:crypto';

export const newApiKeySecret = () => `mh_${randomBytes(32).toString('base64url')}`;
export const hashApiKeySecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
