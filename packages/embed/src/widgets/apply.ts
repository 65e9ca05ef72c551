// <maths-hub-apply cohort="CODE">: the Work Group application form (in progress).
export class MathsHubApply extends HTMLElement {}
