// Reference data for the 22 programmes in ../shared/domain/programmes.json. Facts (slugs, names,
// project codes, statuses, dates, amounts, links) come from the domain documents; every summary,
// list item, rule and funding description is written in our own words.
import type { ProgrammeSeed } from './types.ts';

/** School phases that teach secondary-age pupils. */
// Middle schools of either kind: a register middle school is deemed primary or secondary.
const MIDDLE_PHASES = ['MIDDLE', 'MIDDLE_DEEMED_PRIMARY', 'MIDDLE_DEEMED_SECONDARY'] as const;
const SECONDARY_PHASES = ['SECONDARY', ...MIDDLE_PHASES, 'ALL_THROUGH'] as const;

export const programmes: ProgrammeSeed[] = [
  // ───────────── Secondary Teaching for Mastery ─────────────
  {
    slug: 'secondary-tfm-development',
    shortCode: 'SEC-TFM-DEV',
    name: 'Secondary Teaching for Mastery Development',
    family: 'TEACHING_FOR_MASTERY',
    phase: 'SECONDARY',
    kind: 'WORK_GROUP',
    masteryPhase: 'DEVELOPMENT',
    status: 'OFFERED',
    summary:
      'Each school sends two teachers, its Mastery Advocates, to a local Work Group guided by an experienced mastery lead; they try out teaching for mastery with their own classes first and then help the whole maths department adopt it. The first year is followed by continued hub involvement while the school embeds the approach. The 2023/24 hub page names a Local Leader of Maths Education as the source of support; the 2024/25 material names a Secondary Mastery Specialist.',
    audience: [
      'Maths departments in secondary schools that want to start teaching for mastery.',
      'Two teachers per school act as Mastery Advocates; ideally one of them already holds a senior role in the department.',
    ],
    outcomes: [
      'The Advocates build teaching for mastery into their own teaching and then lead its spread across the department.',
      'The department gets sustained, collaborative professional development, including setting up Teacher Research Groups.',
      'Pupils grow more confident and secure in maths on the way to GCSE and beyond.',
    ],
    timeCommitment: [
      'Half-day Work Group meetings between September and July: the 2024/25 information pack says at least six, with the June 2025 Mastery conference on top, while the 2024/25 application form asks for at least four.',
      'In-school work with the Mastery Specialist: the pack estimates four to six days shared by the two Advocates, while the form commits the school to at least ten days of release in total for them, meetings included.',
      'Agreed tasks between meetings, and a share in the end-of-year reporting and evaluation.',
    ],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: 'NCP23-12', status: 'RECRUITING', applicationDeadline: null },
      { academicYear: '2024/25', projectCode: null, status: 'RECRUITING', applicationDeadline: null },
    ],
    eligibility: [
      {
        kind: 'STATE_FUNDED_IN_ENGLAND',
        description: 'Open to state-funded schools in England.',
      },
      {
        kind: 'SCHOOL_PHASE',
        description: 'The school must teach pupils of secondary age.',
        schoolPhases: [...SECONDARY_PHASES],
      },
      {
        kind: 'TEXT_ONLY',
        description: 'Each school puts forward exactly two teachers to act as its Mastery Advocates.',
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'The Advocates need the drive, experience and standing to lead change across the maths department.',
      },
      {
        kind: 'TEXT_ONLY',
        description: 'The head of maths and the headteacher, or another senior leader, must back the work.',
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'From the 2024/25 pack: one Advocate should hold real responsibility in the department (for example head or deputy head of maths, or Key Stage 3 lead); the other should want to help lead departmental change, ideally with solid teaching experience, though a keen newly qualified teacher or a committed non-specialist can be considered.',
      },
    ],
    funding: [
      {
        payer: 'MATHS_HUBS_PROGRAMME',
        amountPence: 200_000,
        unit: 'PER_DEPARTMENT',
        description:
          'Paid to each participating department so that its Advocates have time to work with the Mastery Specialist and with their colleagues.',
        academicYear: '2024/25',
      },
    ],
    leadsTo: [
      {
        programme: 'secondary-tfm-embedding-year-support',
        required: true,
        rule: 'A department can move on to Embedding Year Support in the year straight after its Development Work Group.',
      },
      {
        programme: 'secondary-tfm-sustaining-work-groups',
        required: true,
        rule: 'Departments that have done a Development Work Group in any earlier year can join a Sustaining Work Group; departments of Mastery Specialists from Cohorts 1 to 6 are the other route in.',
      },
      {
        programme: 'sktm-secondary-teaching-assistants',
        required: true,
        rule: 'Teaching assistants can join the SKTM programme for TAs only if their school is taking part in a Teaching for Mastery Work Group.',
      },
    ],
  },
  {
    slug: 'special-schools-cross-phase-development-work-group',
    shortCode: 'SPEC-TFM-DEV',
    name: 'Regional cross-phase Development Work Group for special school teachers',
    family: 'TEACHING_FOR_MASTERY',
    phase: 'CROSS_PHASE',
    kind: 'WORK_GROUP',
    masteryPhase: 'DEVELOPMENT',
    status: 'OFFERED',
    summary:
      'A 2024/25 option within the Development programme, organised across a region rather than a single hub. Teachers from primary and secondary special schools work together on adapting teaching for mastery to their own settings.',
    audience: ['Teachers working in primary or secondary special schools.'],
    outcomes: [
      'Teachers shape teaching for mastery approaches that suit the pupils in their own special school.',
    ],
    timeCommitment: ['The documents give no separate time commitment for this group.'],
    fullyFunded: null,
    replacedBy: null,
    years: [{ academicYear: '2024/25', projectCode: null, status: 'AVAILABLE', applicationDeadline: null }],
    eligibility: [
      {
        kind: 'STATE_FUNDED_IN_ENGLAND',
        description:
          'As part of the Development programme, it is for state-funded schools in England; the documents set no separate rule.',
      },
      {
        kind: 'SCHOOL_PHASE',
        description:
          'Open to special schools whether they are recorded as primary, secondary, another school phase or no phase.',
        schoolPhases: ['NOT_APPLICABLE', 'PRIMARY', ...MIDDLE_PHASES, 'SECONDARY', 'ALL_THROUGH'],
      },
      {
        kind: 'TEXT_ONLY',
        description: 'Only for teachers who work in special schools.',
      },
    ],
    funding: [],
    leadsTo: [],
  },
  {
    slug: 'secondary-tfm-embedding-year-support',
    shortCode: 'SEC-TFM-EMB',
    name: 'Secondary Teaching for Mastery Embedding Year Support',
    family: 'TEACHING_FOR_MASTERY',
    phase: 'SECONDARY',
    kind: 'SUPPORT_PROGRAMME',
    masteryPhase: 'EMBEDDING',
    status: 'OFFERED',
    summary:
      'Help for a maths department in the year after its Development Work Group. A named Mastery Specialist spends three days with the school, helping the Advocates draw up and carry through a plan for the whole department, and the school also joins a Work Group of embedding and sustaining schools.',
    audience: [
      'Secondary maths departments whose school was in a Development Work Group the year before.',
      'The lead participants are ideally the two Advocates from that Development year.',
    ],
    outcomes: [
      'A department development plan with a matching programme of professional development.',
      'Teaching for mastery starts to spread beyond the Advocates to the whole department.',
      'Colleagues plan a coherent curriculum together and learn from each other.',
      "Over time, pupils' understanding of maths becomes more secure and joined up.",
    ],
    timeCommitment: [
      'Three days of tailored in-school support from the Mastery Specialist for each school.',
      'Meetings of the Embedding and Sustaining Work Group; the documents do not say how many.',
    ],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: 'NCP23-13', status: 'RECRUITING', applicationDeadline: null },
      { academicYear: '2024/25', projectCode: null, status: 'RECRUITING', applicationDeadline: null },
    ],
    eligibility: [
      {
        kind: 'SCHOOL_PHASE',
        description: 'For maths departments in schools that teach pupils of secondary age.',
        schoolPhases: [...SECONDARY_PHASES],
      },
      {
        kind: 'COMPLETED_PROGRAMME_PREVIOUS_YEAR',
        description:
          'The school must have taken part in a Secondary Teaching for Mastery Development Work Group in the previous academic year.',
        requiredProgramme: 'secondary-tfm-development',
      },
    ],
    funding: [],
    leadsTo: [
      {
        programme: 'secondary-tfm-sustaining-work-groups',
        required: false,
        rule: 'Our reading of the three-stage journey: after the embedding year, departments carry on in Sustaining Work Groups.',
      },
    ],
  },
  {
    slug: 'secondary-tfm-sustaining-work-groups',
    shortCode: 'SEC-TFM-SUS',
    name: 'Secondary Teaching for Mastery Sustaining Work Groups',
    family: 'TEACHING_FOR_MASTERY',
    phase: 'SECONDARY',
    kind: 'WORK_GROUP',
    masteryPhase: 'SUSTAINING',
    status: 'OFFERED',
    summary:
      'Long-term Work Groups open to two kinds of secondary maths department: those with an earlier Development Work Group behind them, and those where a Mastery Specialist from Cohorts 1 to 6 teaches. Progress is expected to be gradual. The documents do not say whether this is the same as the Embedding and Sustaining Work Group that Embedding Year Support schools join.',
    audience: [
      'Departments with a Development Work Group behind them from any earlier year.',
      'Departments of Mastery Specialists from Cohorts 1 to 6 (as stated for 2023/24).',
      'Two lead teachers from each school, with other members of the department joining some sessions.',
    ],
    outcomes: ['Departments keep developing and deepening teaching for mastery over several years.'],
    timeCommitment: ['A long-term commitment; the documents give no number of meetings or days.'],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: 'NCP23-14', status: 'RECRUITING', applicationDeadline: null },
      { academicYear: '2024/25', projectCode: null, status: 'NOT_LISTED', applicationDeadline: null },
    ],
    eligibility: [
      {
        kind: 'SCHOOL_PHASE',
        description: 'For maths departments in schools that teach pupils of secondary age.',
        schoolPhases: [...SECONDARY_PHASES],
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'The department must either have done a Development Work Group before or be the department of a Mastery Specialist from Cohorts 1 to 6.',
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'Each school needs at least one Advocate who is experienced and senior enough in the department to drive change, and all Advocates should be keen to work with colleagues on improving teaching.',
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'The head of department and headteacher must fully back the Advocates, and the school must have ways in place for change to reach the whole department.',
      },
      {
        kind: 'TEXT_ONLY',
        description: 'Schools should accept that this is a long-term commitment with gradual results.',
      },
    ],
    funding: [],
    leadsTo: [],
  },
  {
    slug: 'secondary-mastery-specialist',
    shortCode: 'SEC-MS',
    name: 'Secondary Mastery Specialist Programme',
    family: 'TEACHING_FOR_MASTERY',
    phase: 'SECONDARY',
    kind: 'SPECIALIST_PROGRAMME',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      'A programme of at least three years, run by Maths Hubs with the NCETM, that develops teachers into Secondary Mastery Specialists: first in their own classroom, then across their own department (taking the NCETM PD Lead Programme in year 2), and from year 3 supporting departments in other schools in the role of Local Leader of Maths Education. A new cohort is recruited each year.',
    audience: [
      'Teachers of maths in state-funded secondary schools in England who want to improve their own teaching and learn to lead professional development for others.',
      'In 2019/20 (Cohort 4) the school nominated the teacher, then called the lead teacher.',
    ],
    outcomes: [
      'The specialist and their department gain a deep grasp of teaching for mastery and stronger subject knowledge.',
      'The specialist learns to lead collaborative professional development, and may earn NCETM Accredited PD Lead status if not already accredited.',
      'The department builds policies, systems and use of resources, including textbooks, that support a mastery curriculum.',
      'Pupils come to understand maths more deeply and enjoy it more.',
    ],
    timeCommitment: [
      'For Cohort 4 (starting 2019/20), 15 days in each year: year 1 included three central residentials; year 2 mixed residentials, department work and four days on the PD Lead Programme.',
      'From year 3, working with two other departments; the 2024/25 pack describes this as a Work Group with two departments.',
      'A senior leader releases the teacher and joins them at a half-day launch at the start.',
    ],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2019/20', projectCode: null, status: 'RECRUITING', applicationDeadline: '2019-04-26' },
      { academicYear: '2023/24', projectCode: null, status: 'RECRUITING', applicationDeadline: '2023-03-31' },
      { academicYear: '2024/25', projectCode: null, status: 'CLOSED', applicationDeadline: null },
      {
        academicYear: '2025/26',
        projectCode: null,
        status: 'EXPRESSION_OF_INTEREST',
        applicationDeadline: null,
      },
    ],
    eligibility: [
      {
        kind: 'STATE_FUNDED_IN_ENGLAND',
        description: 'The applicant must work in a state-funded school in England.',
      },
      {
        kind: 'SCHOOL_PHASE',
        description:
          'The school must teach pupils of secondary age; the 2019 criteria also named middle schools.',
        schoolPhases: [...SECONDARY_PHASES],
      },
      {
        kind: 'TEXT_ONLY',
        description: 'Early career teachers cannot apply (stated for 2024/25).',
      },
      {
        kind: 'TEXT_ONLY',
        description: 'The 2019 selection criteria treat Qualified Teacher Status as essential.',
      },
      {
        kind: 'TEXT_ONLY',
        description:
          "The 2019 criteria also mention two years' experience of teaching maths; the document's layout leaves it unclear whether that is essential or only desirable.",
      },
      {
        kind: 'TEXT_ONLY',
        description: 'Applicants are expected to read the programme information before applying.',
      },
    ],
    funding: [
      {
        payer: 'MATHS_HUBS_PROGRAMME',
        amountPence: 20_000,
        unit: 'PER_DAY',
        description: 'Cohort 4: daily rate for releasing the teacher in years 1 and 2.',
        academicYear: '2019/20',
      },
      {
        payer: 'MATHS_HUBS_PROGRAMME',
        amountPence: 300_000,
        unit: 'PER_SCHOOL',
        description: "Cohort 4, year 1 (2019/20): the school's payment for 15 release days.",
        academicYear: '2019/20',
      },
      {
        payer: 'MATHS_HUBS_PROGRAMME',
        amountPence: 300_000,
        unit: 'PER_SCHOOL',
        description:
          "Cohort 4, year 2 (2020/21): the school's payment for 15 release days; the PD Lead Programme place is also paid for.",
        academicYear: '2019/20',
      },
      {
        payer: 'MATHS_HUBS_PROGRAMME',
        amountPence: null,
        unit: 'TRAVEL_COSTS',
        description: 'Cohort 4: travel to the training residentials is paid for; no figure is given.',
        academicYear: '2019/20',
      },
      {
        payer: 'MATHS_HUBS_PROGRAMME',
        amountPence: 35_000,
        unit: 'PER_DAY',
        description: 'Cohort 4: higher daily release rate in year 3.',
        academicYear: '2019/20',
      },
      {
        payer: 'MATHS_HUBS_PROGRAMME',
        amountPence: 525_000,
        unit: 'PER_SCHOOL',
        description:
          "Cohort 4, year 3 (2021/22): the specialist's school receives 15 days at the higher rate while the specialist supports two other departments.",
        academicYear: '2019/20',
      },
      {
        payer: 'MATHS_HUBS_PROGRAMME',
        amountPence: 200_000,
        unit: 'PER_DEPARTMENT',
        description: 'Cohort 4, year 3 (2021/22): for each department the specialist works with.',
        academicYear: '2019/20',
      },
    ],
    leadsTo: [
      {
        programme: 'pd-lead-programme',
        required: false,
        rule: 'Specialists take the PD Lead Programme during their second year and become accredited when they complete it.',
      },
      {
        programme: 'secondary-tfm-development',
        required: false,
        rule: 'From their third year, specialists support Development Work Groups, each with two departments.',
      },
      {
        programme: 'secondary-tfm-sustaining-work-groups',
        required: true,
        rule: 'The departments of Cohort 1 to 6 specialists can join Sustaining Work Groups; the other route in is an earlier Development Work Group.',
      },
    ],
  },

  // ───────────── Leadership ─────────────
  {
    slug: 'secondary-maths-subject-leaders-community',
    shortCode: 'SEC-SLC',
    name: 'Secondary Maths Subject Leaders Community',
    family: 'LEADERSHIP',
    phase: 'SECONDARY',
    kind: 'COMMUNITY',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      'Professional development made for heads of maths in secondary schools. In year one leaders meet as a Work Group; after that they carry on in a subject leadership community run by the Maths Hub.',
    audience: [
      'Serving heads of maths or maths subject leaders in secondary schools, whether or not their school has worked with a Maths Hub before.',
    ],
    outcomes: [
      'Leaders build a shared vision and common principles for maths teaching in their department.',
      'The curriculum becomes more coherent and teaching for mastery is supported department-wide.',
      'Leaders grow in their ability to lead change and set up collaborative ways of working.',
      'Each department makes progress on its own action plan while leaders share practice with peers.',
    ],
    timeCommitment: [
      'About four days, or the equivalent, mixing hub meetings and workshops (in person or online), tasks in school and an online community.',
      'Activity is spread across the school year and covers at least two terms.',
    ],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: 'NCP23-15', status: 'RECRUITING', applicationDeadline: null },
      { academicYear: '2024/25', projectCode: null, status: 'RECRUITING', applicationDeadline: null },
    ],
    eligibility: [
      {
        kind: 'SCHOOL_PHASE',
        description: 'For leaders in schools that teach pupils of secondary age.',
        schoolPhases: [...SECONDARY_PHASES],
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'The applicant must already be head of maths or subject leader; those hoping to take on the role are not eligible.',
      },
    ],
    funding: [],
    leadsTo: [],
  },
  {
    slug: 'secondary-mat-maths-leaders-community',
    shortCode: 'SEC-MAT-LC',
    name: 'Secondary MAT Maths Leaders Community',
    family: 'LEADERSHIP',
    phase: 'SECONDARY',
    kind: 'COMMUNITY',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      'A national community for people who lead maths across several schools in a multi-academy trust, offering tailored professional development and networking so that they can lead change in curriculum, systems and teacher development. Newcomers follow their own programme while returning members work as a community. The 2023/24 page calls it its second year and the 2024/25 page its fourth.',
    audience: [
      'Maths leads working across several schools in a trust that includes at least one secondary school.',
      'Both first-time and returning participants.',
    ],
    outcomes: [
      'A shared vision for effective maths teaching across the trust.',
      "Closer work with the trust's subject leaders to lead maths and develop teaching for mastery.",
      'A better understanding of collaborative, evidence-informed models of teacher professional development.',
    ],
    timeCommitment: [
      'Three national in-person days during the year.',
      'Work between the days, such as reviewing practice across the trust, planning, leading groups of teachers or running professional development.',
      'Contributing to an online community of trust maths leads is hoped for.',
    ],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: 'NCP23-16', status: 'RECRUITING', applicationDeadline: null },
      { academicYear: '2024/25', projectCode: null, status: 'RECRUITING', applicationDeadline: null },
    ],
    eligibility: [
      {
        kind: 'TEXT_ONLY',
        description:
          'The applicant leads maths across more than one school in a multi-academy trust, at least one of them a secondary school.',
      },
      {
        kind: 'TEXT_ONLY',
        description: 'The trust must agree to release the applicant to attend (stated for 2023/24).',
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'Having at least one trust school in a Secondary Teaching for Mastery Work Group the same year is encouraged but not required.',
      },
    ],
    funding: [],
    leadsTo: [],
  },

  // ───────────── Secondary curriculum, cross-phase and post-16 ─────────────
  {
    slug: 'securing-foundations-year-7',
    shortCode: 'SEC-SF-Y7',
    name: 'Securing Foundations at Year 7',
    family: 'CURRICULUM',
    phase: 'SECONDARY',
    kind: 'WORK_GROUP',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      'A programme first offered in 2024/25 for secondary teachers whose Year 7 pupils start with very low attainment in maths. It uses lesson slides and teacher guidance produced centrally and adapted from support first made for Key Stage 2.',
    audience: [
      'Experienced or newer teachers of Year 7 pupils who left primary school below the expected standard in maths, especially those in the lowest 20 to 30 per cent nationally.',
    ],
    outcomes: [
      "Teachers gain resource sets, each on a different foundational topic, that connect pupils' primary learning with Key Stage 3.",
    ],
    timeCommitment: [
      'Six central online events, with supporting videos.',
      'Regional cohort events, in person or online, adding up to about three days.',
      'Taking part in an online community.',
    ],
    fullyFunded: true,
    replacedBy: null,
    years: [{ academicYear: '2024/25', projectCode: null, status: 'RECRUITING', applicationDeadline: null }],
    eligibility: [
      {
        kind: 'SCHOOL_PHASE',
        description: 'For schools that teach Year 7.',
        schoolPhases: [...SECONDARY_PHASES],
      },
    ],
    funding: [],
    leadsTo: [],
  },
  {
    slug: 'cross-phase-l2-qualification',
    shortCode: 'CP-L2',
    name: 'Cross-Phase – Supporting Students to Achieve a L2 Qualification in Maths',
    family: 'CROSS_PHASE',
    phase: 'CROSS_PHASE',
    kind: 'WORK_GROUP',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      'A Work Group for teachers of students working towards a Level 2 maths qualification (either GCSE or Functional Skills) whose studies carry on from Key Stage 4 into post-16. It aims to make teaching more consistent across that move.',
    audience: [
      'Teachers of Years 10 and 11 in secondary schools.',
      'Teachers of post-16 GCSE resit or Functional Skills maths in schools, sixth form colleges, FE colleges, UTCs and other post-16 settings.',
    ],
    outcomes: [
      'Teachers understand better how to support students across the move from Key Stage 4 to post-16, including using the same language and representations.',
      'Students are better prepared for that move, clearer about which Level 2 qualification they are aiming for and how to get there, and more positive about maths.',
    ],
    timeCommitment: [
      'Workshops adding up to three full days.',
      'Classroom tasks between sessions: trying ideas, noticing their effect and writing short reflections.',
      'Optional contributions to an online forum.',
    ],
    fullyFunded: true,
    replacedBy: null,
    years: [{ academicYear: '2024/25', projectCode: null, status: 'RECRUITING', applicationDeadline: null }],
    eligibility: [
      {
        kind: 'SCHOOL_PHASE',
        description: 'For schools and colleges that teach Key Stage 4 or post-16 maths.',
        schoolPhases: ['SECONDARY', 'ALL_THROUGH', 'SIXTEEN_PLUS'],
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'Participants represent their school or college and ideally have some responsibility for developing teaching and leading change.',
      },
    ],
    funding: [],
    leadsTo: [],
  },
  {
    slug: 'years-5-8-continuity',
    shortCode: 'Y5-8-CONT',
    name: 'Years 5-8 Continuity',
    family: 'CROSS_PHASE',
    phase: 'PRIMARY_SECONDARY',
    kind: 'WORK_GROUP',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      'Work Groups that help primary and secondary schools make maths teaching more continuous from Year 5 to Year 8, drawing on existing materials: Checkpoints, and resources on multiplicative reasoning and on algebraic thinking. Lesson study and watching lessons in the other phase are encouraged.',
    audience: [
      'Primary and secondary schools, especially linked groups such as a secondary school and its feeder primaries, or schools in the same trust.',
      'Teachers of Years 5 to 8, preferably with some responsibility for curriculum development.',
    ],
    outcomes: [
      'A smoother move from primary to secondary maths, with curriculum and teaching better aligned.',
    ],
    timeCommitment: ['The documents do not state a time commitment.'],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: 'NCP23-19', status: 'RECRUITING', applicationDeadline: null },
      { academicYear: '2024/25', projectCode: null, status: 'NOT_LISTED', applicationDeadline: null },
    ],
    eligibility: [
      {
        kind: 'SCHOOL_PHASE',
        description: 'For primary, middle, secondary and all-through schools.',
        schoolPhases: ['PRIMARY', ...MIDDLE_PHASES, 'SECONDARY', 'ALL_THROUGH'],
      },
    ],
    funding: [],
    leadsTo: [],
  },
  {
    slug: 'developing-a-level-pedagogy',
    shortCode: 'ALEVEL-PED',
    name: 'Developing A Level Pedagogy',
    family: 'POST_16',
    phase: 'POST_16',
    kind: 'WORK_GROUP',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      'Work Groups run jointly by the Maths Hubs Network and the Advanced Mathematics Support Programme (AMSP) for experienced A level maths teachers. Participants deepen their expertise and model change in their departments, loosely following the A level overarching themes of problem solving, modelling and proof.',
    audience: [
      'Leaders of A level maths teaching, or experienced A level maths teachers who want to lead work on teaching with colleagues, in their own school or elsewhere.',
    ],
    outcomes: [
      'Participants strengthen their A level teaching and lead changes in practice in their department.',
    ],
    timeCommitment: ['The documents do not state a time commitment.'],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: 'NCP23-24', status: 'RECRUITING', applicationDeadline: null },
      { academicYear: '2024/25', projectCode: null, status: 'NOT_LISTED', applicationDeadline: null },
    ],
    eligibility: [
      {
        kind: 'SCHOOL_PHASE',
        description: 'For schools and colleges that teach A level maths.',
        schoolPhases: ['SECONDARY', 'ALL_THROUGH', 'SIXTEEN_PLUS'],
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'Applicants already lead A level teaching or have substantial experience of teaching A level maths.',
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'Earlier AMSP courses for A level teachers are useful preparation but not a requirement.',
      },
    ],
    funding: [
      {
        payer: 'MATHS_HUBS_PROGRAMME',
        amountPence: null,
        unit: 'PER_SCHOOL',
        description: 'The Maths Hubs Programme shares the cost with the AMSP; no figure is given.',
        academicYear: null,
      },
      {
        payer: 'AMSP',
        amountPence: null,
        unit: 'PER_SCHOOL',
        description: 'The AMSP co-funds the Work Groups; no figure is given.',
        academicYear: null,
      },
    ],
    leadsTo: [],
  },

  // ───────────── Specialist Knowledge for Teaching Mathematics ─────────────
  {
    slug: 'sktm-secondary-non-specialist-teachers',
    shortCode: 'SKTM-NS',
    name: 'Specialist Knowledge for Teaching Mathematics Secondary Non-Specialist Teachers',
    family: 'SKTM',
    phase: 'SECONDARY',
    kind: 'SKTM_PROGRAMME',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      'Helps teachers without a maths specialism who teach maths in secondary schools build the mix of subject and teaching knowledge needed to teach it well, in line with the NCETM approach to teaching for mastery. It took the place of the earlier TSST programme.',
    audience: ['Teachers who teach some maths without having trained to teach it.'],
    outcomes: [
      'More secure knowledge of secondary maths content and curriculum.',
      'Greater confidence in planning how pupils progress through topics.',
      'Pupils gain a deeper, better-connected understanding of maths.',
      'Six themes in 2023/24: how the number system is built, calculating with number, multiplicative reasoning, graphs and sequences, probability and statistics, and geometry.',
    ],
    timeCommitment: ['About six days in total (stated for 2024/25).'],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: null, status: 'RECRUITING', applicationDeadline: null },
      { academicYear: '2024/25', projectCode: null, status: 'RECRUITING', applicationDeadline: null },
    ],
    eligibility: [
      {
        kind: 'STATE_FUNDED_IN_ENGLAND',
        description: 'For teachers in state-funded schools in England.',
      },
      {
        kind: 'SCHOOL_PHASE',
        description: 'The school must teach pupils of secondary age.',
        schoolPhases: [...SECONDARY_PHASES],
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'The teacher has not done initial teacher training in maths, and either teaches some maths now or has been asked by the head to do so within the next year.',
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'In 2023/24, other maths teachers who could benefit might join if the cohort had spare places.',
      },
    ],
    funding: [],
    leadsTo: [],
  },
  {
    slug: 'sktm-secondary-ect-phase-1',
    shortCode: 'SKTM-ECT1',
    name: 'Specialist Knowledge for Teaching Mathematics Secondary Early Career Teachers – Phase 1',
    family: 'SKTM',
    phase: 'SECONDARY',
    kind: 'COMMUNITY',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      'Maths-specific subject and teaching support for early career teachers in secondary schools, designed with the Early Career Framework in mind. It builds on initial training by studying multiplicative reasoning in depth. In 2023/24 it was delivered in groups of teachers at the same career stage.',
    audience: [
      'Secondary maths teachers in year one or two of their teaching career who have not done this programme before.',
    ],
    outcomes: [
      "Teachers design tasks and lessons around their pupils' needs.",
      'Teachers recognise features of teaching for mastery in a task or lesson and can explain why they are there.',
      'Pupils reason with more confidence when questioned well.',
    ],
    timeCommitment: ['The documents do not state a time commitment.'],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: 'NCP23-29a', status: 'RECRUITING', applicationDeadline: null },
      { academicYear: '2024/25', projectCode: null, status: 'RECRUITING', applicationDeadline: null },
    ],
    eligibility: [
      {
        kind: 'SCHOOL_PHASE',
        description: 'For teachers in schools that teach pupils of secondary age.',
        schoolPhases: [...SECONDARY_PHASES],
      },
      {
        kind: 'TEXT_ONLY',
        description: 'The teacher must be an early career teacher, in year one or two of their career.',
      },
    ],
    funding: [],
    leadsTo: [
      {
        programme: 'sktm-secondary-ect-phase-2',
        required: true,
        rule: 'Phase 2 follows Phase 1, normally in the next year, and is only for teachers who have done Phase 1.',
      },
    ],
  },
  {
    slug: 'sktm-secondary-ect-phase-2',
    shortCode: 'SKTM-ECT2',
    name: 'Specialist Knowledge for Teaching Mathematics Secondary Early Career Teachers – Phase 2',
    family: 'SKTM',
    phase: 'SECONDARY',
    kind: 'COMMUNITY',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      'The second stage of maths-specific support for early career teachers in secondary schools, designed with the Early Career Framework in mind. It studies sequences and graphical representations in depth. In 2023/24 it was delivered in groups of teachers at the same career stage.',
    audience: [
      "Early career teachers who have already done Phase 1. Both hub pages give an out-of-date year for that earlier group; the intended group appears to be the previous year's Phase 1 participants.",
    ],
    outcomes: [
      "Teachers design tasks and lessons around their pupils' needs.",
      'Teachers recognise features of teaching for mastery in a task or lesson and can explain why they are there.',
      'Pupils reason with more confidence when questioned well.',
    ],
    timeCommitment: ['The documents do not state a time commitment.'],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: 'NCP23-29b', status: 'RECRUITING', applicationDeadline: null },
      { academicYear: '2024/25', projectCode: null, status: 'RECRUITING', applicationDeadline: null },
    ],
    eligibility: [
      {
        kind: 'SCHOOL_PHASE',
        description: 'For teachers in schools that teach pupils of secondary age.',
        schoolPhases: [...SECONDARY_PHASES],
      },
      {
        kind: 'COMPLETED_PROGRAMME',
        description: 'The teacher must have taken part in Phase 1 first.',
        requiredProgramme: 'sktm-secondary-ect-phase-1',
      },
    ],
    funding: [],
    leadsTo: [],
  },
  {
    slug: 'sktm-secondary-teaching-assistants',
    shortCode: 'SKTM-TA',
    name: 'Specialist Knowledge for Teaching Mathematics Secondary Teaching Assistants',
    family: 'SKTM',
    phase: 'SECONDARY',
    kind: 'SKTM_PROGRAMME',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      "Builds the maths knowledge of teaching assistants who support secondary maths: precise mathematical vocabulary, models and reasoning for the four operations, ratio and fractions, with follow-up tasks in school. It is meant to sit alongside the school's Teaching for Mastery Work Group.",
    audience: [
      'Teaching assistants who spend most of their time in Key Stage 3 maths lessons or who run maths intervention groups.',
    ],
    outcomes: [
      'TAs are confident using the right mathematical words and representations.',
      'TAs adapt resources to suit the pupils they support.',
      'TAs see how algebra grows out of generalising about number.',
      'Pupils feel more positive about learning maths.',
    ],
    timeCommitment: [
      'About four days in total, and every session must be attended.',
      'Follow-up tasks back in school between sessions.',
    ],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: 'NCP23-32', status: 'RECRUITING', applicationDeadline: null },
      { academicYear: '2024/25', projectCode: null, status: 'RECRUITING', applicationDeadline: null },
    ],
    eligibility: [
      {
        kind: 'SCHOOL_PHASE',
        description: 'For teaching assistants in schools that teach pupils of secondary age.',
        schoolPhases: [...SECONDARY_PHASES],
      },
      {
        kind: 'SCHOOL_IN_PROGRAMME',
        description: "The TA's school should already be taking part in a Teaching for Mastery Work Group.",
        requiredProgramme: 'secondary-tfm-development',
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'The TA works mainly with Key Stage 3 pupils in maths lessons or leads maths intervention groups.',
      },
    ],
    funding: [],
    leadsTo: [],
  },
  {
    slug: 'sktm-core-maths',
    shortCode: 'SKTM-CORE',
    name: 'Specialist Knowledge for Teaching Mathematics (Core Maths Teachers) Programme',
    family: 'SKTM',
    phase: 'POST_16',
    kind: 'SKTM_PROGRAMME',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      'For teachers who are new to Core Maths. Participants attend sessions and, in between, try out and reflect on teaching approaches with their own Core Maths class.',
    audience: [
      'Teachers who have taught Core Maths for no more than two years and have a Core Maths class during the programme year.',
    ],
    outcomes: ['Teachers gain confidence with approaches to teaching Core Maths by trying them in class.'],
    timeCommitment: [
      'All sessions, adding up to about three days.',
      'Practical classroom activities between sessions.',
    ],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: 'NCP23-22', status: 'RECRUITING', applicationDeadline: null },
      { academicYear: '2024/25', projectCode: null, status: 'NOT_LISTED', applicationDeadline: null },
    ],
    eligibility: [
      {
        kind: 'SCHOOL_PHASE',
        description: 'For schools and colleges that teach Core Maths.',
        schoolPhases: ['SECONDARY', 'ALL_THROUGH', 'SIXTEEN_PLUS'],
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'The teacher has taught Core Maths for two years at most and has a Core Maths class in the programme year.',
      },
      {
        kind: 'TEXT_ONLY',
        description: 'The school gives the teacher time and support to try new ideas in class.',
      },
    ],
    funding: [],
    leadsTo: [],
  },

  // ───────────── Initial teacher training ─────────────
  {
    slug: 'strengthening-partnerships-itt-providers',
    shortCode: 'ITT-PART',
    name: 'Strengthening Partnerships with ITT Providers',
    family: 'ITT',
    phase: 'CROSS_PHASE',
    kind: 'COMMUNITY',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      'A professional learning community that brings initial teacher training providers together with Maths Hub leaders to review and develop their maths provision. A group may span several hubs or a wider region.',
    audience: [
      'People directly involved in initial teacher training who are responsible for maths, from university, SCITT and School Direct providers.',
      'Covers early years, primary, secondary and post-16 training routes.',
    ],
    outcomes: [
      'Providers review their maths training practice and programme.',
      'Trainees gain some understanding of planning lessons using mastery principles.',
      'Maths Hub leaders know the ITT providers in their area and the schools they partner with, and use joint discussion across providers to shape hub work.',
    ],
    timeCommitment: ['The documents do not state a time commitment.'],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: 'NCP23-31', status: 'RECRUITING', applicationDeadline: null },
      { academicYear: '2024/25', projectCode: null, status: 'RECRUITING', applicationDeadline: null },
    ],
    eligibility: [
      {
        kind: 'TEXT_ONLY',
        description:
          'The participant works directly in initial teacher training with responsibility for maths.',
      },
    ],
    funding: [],
    leadsTo: [],
  },

  // ───────────── NCETM leadership and accreditation ─────────────
  {
    slug: 'pd-lead-programme',
    shortCode: 'PD-LEAD',
    name: 'Professional Development Lead Programme',
    family: 'PD_ACCREDITATION',
    phase: 'ALL_PHASE',
    kind: 'LEAD_PROGRAMME',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      'An NCETM accreditation programme for people who lead professional development for maths teachers. Participants design, run, review and improve a programme of teacher development and record it in an Accreditation Evidence Document. An optional, paid enhanced route leads to a postgraduate certificate from the University of Chester.',
    audience: [
      'Expert maths teachers from any phase, early years to post-16, who already design, lead and evaluate maths professional development and will do so beyond their own institution.',
      'Secondary Mastery Specialists, who take it in year 2 of their programme.',
    ],
    outcomes: [
      'Participants plan, deliver, evaluate and improve their own professional development programme against what they set out to achieve.',
      'They learn the main principles of designing maths professional development.',
      'They understand how knowing maths differs from knowing how to teach it.',
      'Those who complete it gain NCETM Accredited PD Lead status for their phase.',
    ],
    timeCommitment: [
      'Three workshop days or their equivalent, some in person and some online.',
      'Completing the evidence document over the year.',
      "In the 2019/20 Mastery Specialist design, four days within the specialist's second year.",
    ],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: null, status: 'RECRUITING', applicationDeadline: '2023-03-31' },
      { academicYear: '2024/25', projectCode: null, status: 'CLOSED', applicationDeadline: null },
      {
        academicYear: '2025/26',
        projectCode: null,
        status: 'EXPRESSION_OF_INTEREST',
        applicationDeadline: null,
      },
    ],
    eligibility: [
      {
        kind: 'TEXT_ONLY',
        description:
          'The applicant already designs, leads and evaluates professional development for maths teachers and will lead it beyond their own institution.',
      },
      {
        kind: 'TEXT_ONLY',
        description: "The applicant's school or other institution must be in England (stated for 2024/25).",
      },
      {
        kind: 'TEXT_ONLY',
        description: 'Applicants are expected to read the programme information before applying.',
      },
    ],
    funding: [
      {
        payer: 'PARTICIPANT',
        amountPence: null,
        unit: 'PER_PARTICIPANT',
        description:
          'Participants who want the postgraduate certificate pay for the enhanced route themselves; no fee is given. The standard programme is free.',
        academicYear: null,
      },
    ],
    leadsTo: [
      {
        programme: 'school-development-lead-programme',
        required: false,
        rule: 'People joining the School Development Lead Programme have normally completed this one first, but it is not an absolute requirement.',
      },
    ],
  },
  {
    slug: 'school-development-lead-programme',
    shortCode: 'SDL',
    name: 'School Development Lead Programme',
    family: 'PD_ACCREDITATION',
    phase: 'UNSPECIFIED',
    kind: 'LEAD_PROGRAMME',
    masteryPhase: null,
    status: 'OFFERED',
    summary:
      "An NCETM programme for people who lead improvement in maths beyond their own school. It combines regional workshops (in person and online), practical development tasks and an online community, and each participant plans and leads an improvement project in maths together with the school's senior and subject leaders.",
    audience: [
      'Experienced or new leaders of maths who work alongside the leaders of other schools, or groups of schools, on raising the quality of maths teaching.',
    ],
    outcomes: [
      'Knowledge of a range of school development strategies for maths and when each fits.',
      'A firmer grasp of the evidence behind school improvement and managing change.',
      'Experience of designing and leading a collaborative improvement initiative.',
      'Better awareness of the skills the role needs, and of oneself in it.',
    ],
    timeCommitment: [
      'Participants commit to the full set of activities; no number of days is given.',
      'Evidence is kept in an Accreditation Evidence Document according to the 2023/24 page, or in a reflection and learning log with a record of the initiative according to the 2024/25 page.',
    ],
    fullyFunded: true,
    replacedBy: null,
    years: [
      { academicYear: '2023/24', projectCode: null, status: 'RECRUITING', applicationDeadline: '2023-03-31' },
      { academicYear: '2024/25', projectCode: null, status: 'CLOSED', applicationDeadline: null },
      {
        academicYear: '2025/26',
        projectCode: null,
        status: 'EXPRESSION_OF_INTEREST',
        applicationDeadline: null,
      },
    ],
    eligibility: [
      {
        kind: 'TEXT_ONLY',
        description:
          'Applicants will normally have completed the NCETM PD Lead Programme already; this is expected rather than strictly required.',
      },
      {
        kind: 'TEXT_ONLY',
        description:
          'Applicants commit to the whole programme and need the backing of their own headteacher, their trust, or both.',
      },
      {
        kind: 'TEXT_ONLY',
        description: 'Only for teachers working in England (stated for 2024/25).',
      },
    ],
    funding: [],
    leadsTo: [],
  },

  // ───────────── Historic and referenced ─────────────
  {
    slug: 'tsst',
    shortCode: 'TSST',
    name: 'TSST programme',
    family: 'HISTORIC',
    phase: 'SECONDARY',
    kind: 'HISTORIC_PROGRAMME',
    masteryPhase: null,
    status: 'REPLACED',
    summary:
      'An earlier programme that the SKTM programme for secondary non-specialist teachers has replaced. The documents do not spell out the abbreviation.',
    audience: [],
    outcomes: [],
    timeCommitment: [],
    fullyFunded: null,
    replacedBy: 'sktm-secondary-non-specialist-teachers',
    years: [],
    eligibility: [],
    funding: [],
    leadsTo: [],
  },
  {
    slug: 'primary-mastery-specialist',
    shortCode: 'PRI-MS',
    name: 'Primary Mastery Specialist programme',
    family: 'TEACHING_FOR_MASTERY',
    phase: 'PRIMARY',
    kind: 'SPECIALIST_PROGRAMME',
    masteryPhase: null,
    status: 'REFERENCED',
    summary:
      'The primary-phase Mastery Specialist programme, mentioned only as background. Several cohorts of primary specialists have completed it and lead Work Groups with other primary schools, and the secondary programme was modelled on it.',
    audience: [],
    outcomes: [],
    timeCommitment: [],
    fullyFunded: null,
    replacedBy: null,
    years: [],
    eligibility: [],
    funding: [],
    leadsTo: [],
  },
  {
    slug: 'china-england-exchange',
    shortCode: 'CHINA-EX',
    name: 'China-England (Shanghai) teacher exchange',
    family: 'HISTORIC',
    phase: 'SECONDARY',
    kind: 'EXCHANGE',
    masteryPhase: null,
    status: 'HISTORIC',
    summary:
      'A 2015/16 exchange in which each Maths Hub chose a lead secondary school whose teachers visited Shanghai and then hosted teachers from there; those schools went on to explore what it meant for secondary teaching for mastery. Earlier involvement counted in favour of Mastery Specialist applicants in 2019.',
    audience: [],
    outcomes: [],
    timeCommitment: [],
    fullyFunded: null,
    replacedBy: null,
    years: [{ academicYear: '2015/16', projectCode: null, status: 'CLOSED', applicationDeadline: null }],
    eligibility: [],
    funding: [],
    leadsTo: [],
  },
];
