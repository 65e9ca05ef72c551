// Layers 2 and 3: synthetic schools, cohorts, people, applications, sessions and attendance.
//
// One deterministic generator serves both the demo layer (small, loaded into the embedded
// database at first start) and the national-scale layer used by the benchmarks (about 24,000
// schools, 5,000 cohorts, 200,000 participants, 400,000 enrolments and 2 million attendance
// rows). Every row it makes is marked `synthetic`; people get made-up names and addresses at
// example.org, and school URNs start at 600000 (national) or 900000 (demo), ranges the DfE does
// not use, so nothing can be mistaken for a real school or person.
//
// Rows are built in memory, then loaded set-based. The parts live in synthetic/:
//   scales.ts      how big each layer is
//   vocabulary.ts  names, place words, local authorities and postcode areas
//   catalogue.ts   the kinds of school and the programmes hubs run
//   rows.ts        the shape of the generated rows
//   generate.ts    the seeded generator
//   load.ts        the set-based loader, and clearing a layer

export type { GeneratorInput } from './synthetic/generate.ts';
export { generate } from './synthetic/generate.ts';
export { clearSynthetic, load } from './synthetic/load.ts';
export type { Generated } from './synthetic/rows.ts';
export { SCALES, type Scale } from './synthetic/scales.ts';
