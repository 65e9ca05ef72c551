// Refuses what would occupy the server before any resolver or SQL runs:
//   - shape limits from graphql-armor (tokens while parsing; depth, aliases and directives while
//     validating): they depend on the document only, so Yoga's validation cache keeps them;
//   - bounds on every input (packages/schema/src/rules/input-limits.ts): variables as soon as the
//     request is parsed, literal arguments while validating;
//   - the operation's cost from the schema (packages/schema/src/cost.ts, through the Pothos
//     complexity plugin's rule), checked just before execution because it depends on the
//     variables and on the caller's limit.
// A refusal is a GraphQL error with extensions.code QUERY_TOO_COMPLEX (or BAD_USER_INPUT for an
// input out of bounds) naming the limit, the figure and the allowed value.
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { type Context, checkInputValue, checkString, INPUT_LIMITS, operationCost } from '@maths-hubs/schema';
import { GraphQLError, Kind, type ValidationContext, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from '../config.ts';
import { type OperationStart, requestState } from './request-state.ts';

type LimitName = 'cost' | 'depth' | 'aliases' | 'tokens' | 'directives';

const ADVICE: Record<LimitName, string> = {
  cost: 'Ask for smaller pages (`first`) or fewer nested lists, or send an API key for a higher limit.',
  depth: 'Nest fewer selections; fetch deeper objects in a second query with `node(id:)`.',
  aliases: 'Send fewer aliased fields in one operation.',
  tokens: 'Send a shorter document.',
  directives: 'Use fewer directives in one operation.',
};

const UNITS: Record<LimitName, (figure: number) => string> = {
  cost: (n) => `costs ${n.toLocaleString('en-GB')} points`,
  depth: (n) => `is ${n} levels deep`,
  aliases: (n) => `has ${n} aliases`,
  tokens: (n) => `has more than ${n} tokens`,
  directives: (n) => `has ${n} directives`,
};

export function tooComplex(limit: LimitName, figure: number, allowed: number, who = ''): GraphQLError {
  return new GraphQLError(
    `Query refused (limit: ${limit}): this operation ${UNITS[limit](figure)}; the most allowed${who} is ${allowed.toLocaleString('en-GB')}. ${ADVICE[limit]}`,
    // `spec`: 400 for application/graphql-response+json, 200 for legacy application/json, as the
    // GraphQL-over-HTTP spec asks of every request error (and as Yoga does for validation).
    { extensions: { code: 'QUERY_TOO_COMPLEX', limit, figure, allowed, http: { status: 400, spec: true } } },
  );
}

export function badInput(message: string, path: (string | number)[]): GraphQLError {
  return new GraphQLError(`Input refused: ${message}`, {
    extensions: { code: 'BAD_USER_INPUT', path, http: { status: 400, spec: true } },
  });
}

/** Turns an armor rejection ("… limit of 15 exceeded, found 200.") into our error. */
function armorRejection(limit: LimitName, allowed: number) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const found = /found (\d+)/.exec(error.message);
    const ours = tooComplex(limit, found ? Number(found[1]) : allowed, allowed);
    if (context) context.reportError(ours);
    else throw ours;
  };
}

/** Literal strings and lists in the document are bounded like variables. */
const literalInputRule: ValidationRule = (context) => ({
  Argument(node) {
    const walk = (value: typeof node.value, path: (string | number)[]): void => {
      if (value.kind === Kind.STRING) {
        const problem = checkString(value.value, path);
        if (problem) context.reportError(badInput(problem.message, problem.path));
      } else if (value.kind === Kind.LIST) {
        if (value.values.length > INPUT_LIMITS.list) {
          context.reportError(
            badInput(
              `${path.join('.')} has ${value.values.length} items; the most allowed is ${INPUT_LIMITS.list}.`,
              path,
            ),
          );
          return;
        }
        for (const [i, item] of value.values.entries()) walk(item, [...path, i]);
      } else if (value.kind === Kind.OBJECT) {
        for (const field of value.fields) walk(field.value, [...path, field.name.value]);
      }
    };
    walk(node.value, [node.name.value]);
  },
});

const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first problem with a request's parameters' types and sizes, before anything reads them. */
function paramsProblem(params: Record<string, unknown>): GraphQLError | null {
  const badRequest = (message: string) =>
    new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
  if (params.query != null && typeof params.query !== 'string')
    return badRequest('"query" must be a string: the GraphQL document.');
  if (params.operationName != null && typeof params.operationName !== 'string')
    return badRequest('"operationName" must be a string: the name of an operation in the document.');
  if (typeof params.operationName === 'string' && params.operationName.length > 200)
    return badRequest('"operationName" is longer than any operation name (200 characters).');
  for (const name of ['variables', 'extensions'] as const) {
    const value = params[name];
    if (value == null) continue;
    if (!isObject(value)) return badRequest(`"${name}" must be a JSON object, or left out.`);
    // Bounded walks (depth, items, fields, string length): they stop at the first excess.
    const problem = checkInputValue(value, name === 'variables' ? [] : [name]);
    if (problem) return badInput(problem.message, problem.path);
  }
  return null;
}

/**
 * Refuses malformed or oversized parameters first, before any other plugin reads them (the API
 * key's lookup, the persisted-operation lookup, the response cache's key): those walk the
 * variables and extensions, which a client may nest thousands of levels deep.
 */
export function useRequestShape(): Plugin<Context> {
  return {
    onParams({ request, params, setParams, setResult }) {
      const problem = paramsProblem(params as unknown as Record<string, unknown>);
      if (!problem) return;
      const state = requestState(request);
      if (state) state.refused = true; // nothing may answer it, the cache included
      // Every later onParams hook still runs (Yoga calls them all): they see a harmless stand-in,
      // which never executes since the result is set.
      setParams({ query: '{ __typename }' });
      setResult({ errors: [problem] });
    },
  };
}

export function useLimits(limits: Limits): Plugin<Context> {
  const armorOptions = (limit: LimitName, n: number) => ({
    n,
    propagateOnRejection: false,
    onReject: [armorRejection(limit, n)],
  });
  const depthRule = maxDepthRule(armorOptions('depth', limits.maxDepth));
  const aliasesRule = maxAliasesRule(armorOptions('aliases', limits.maxAliases));
  const directivesRule = maxDirectivesRule(armorOptions('directives', limits.maxDirectives));
  const tokens = maxTokensPlugin({
    n: limits.maxTokens,
    propagateOnRejection: true,
    onReject: [armorRejection('tokens', limits.maxTokens)],
  });
  const checkCost = ({ args, setResultAndStopExecution }: OperationStart) => {
    const ctx = args.contextValue as Context & { request?: Request };
    const state = ctx.request ? requestState(ctx.request) : undefined;
    const keyed = (state?.viewer?.role ?? ctx.viewer.role) !== 'ANONYMOUS';
    const allowed = keyed ? limits.cost.key : limits.cost.anonymous;
    // Invalid variables are left for execution to report; they cost nothing.
    const requested = operationCost({ ...args, contextValue: ctx }) ?? 0;
    if (state) state.cost = { requested, limit: allowed };
    if (requested > allowed) {
      setResultAndStopExecution({
        errors: [tooComplex('cost', requested, allowed, keyed ? ' with an API key' : ' without an API key')],
      });
    }
  };
  return {
    onParse: tokens.onParse as Plugin<Context>['onParse'],
    onValidate({ addValidationRule }) {
      addValidationRule(depthRule);
      addValidationRule(aliasesRule);
      addValidationRule(directivesRule);
      addValidationRule(literalInputRule);
    },
    // Subscriptions are costed like queries, when they start.
    onExecute: checkCost,
    onSubscribe: checkCost,
  };
}
