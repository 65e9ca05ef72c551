// <maths-hub-apply cohort="CODE">: a school's application to a Teaching for Mastery Work Group,
// as submitApplication takes it. The cohort comes first (CohortDocument); the form follows only
// while it recruits. The server decides what is wrong (userErrors): each message is shown beside
// its field and in a summary at the top. The one check made here is the statement's live word
// count, a hint counted the way the server counts.
import {
  CohortDocument,
  type CohortQuery,
  SchoolSearchDocument,
  type SchoolSearchQuery,
  SubmitApplicationDocument,
  type SubmitApplicationInput,
  type SubmitApplicationMutation,
} from '@maths-hubs/sdk';
import { failureKind } from '../api.ts';
import { h } from '../dom.ts';
import { attachShadowWithStyles, clientFor, describeFailure, endpointFor, formatDate } from './shared.ts';

type Cohort = NonNullable<CohortQuery['cohort']>;
type School = SchoolSearchQuery['schools']['nodes'][number];
type UserError = SubmitApplicationMutation['submitApplication']['userErrors'][number];
type Application = NonNullable<SubmitApplicationMutation['submitApplication']['application']>;
type Control = HTMLInputElement | HTMLTextAreaElement;

/** The statement asks for about this many words… */
export const STATEMENT_WORDS = 150;
/** …and the server accepts 10% more (packages/schema/src/rules/validation.ts). */
export const STATEMENT_LIMIT = 165;

/** Words as the server counts them: runs of non-space characters. */
export const countWords = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;

/** How long typing must pause before the word count is announced to screen readers. */
const ANNOUNCE_AFTER_MS = 700;

const STYLES = `
.widget { max-width: var(--mh-max-width, 44rem); }
h2, h3 { line-height: 1.25; margin: 0 0 0.5em; }
h2 { font-size: var(--mh-heading-size, 1.5em); }
h3 { font-size: 1.125em; }
p { margin: 0 0 0.75em; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25em 1em; margin: 0 0 1em; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.field { margin: 0 0 1.25em; }
.field.invalid, fieldset.invalid > .group-error {
  border-left: 4px solid var(--mh-error-color, #b3261e); padding-left: 0.75em;
}
label, .label { display: block; font-weight: 600; margin: 0 0 0.25em; }
.required { color: var(--mh-error-color, #b3261e); }
.hint { color: var(--mh-muted-color, #505a5f); margin: 0 0 0.35em; }
.error { color: var(--mh-error-color, #b3261e); font-weight: 600; margin: 0 0 0.35em; }
.error[hidden], .hint:empty { display: none; }
input:not([type=checkbox]), textarea {
  display: block; width: 100%; font: inherit; padding: 0.4em 0.5em; color: inherit;
  background: var(--mh-input-background, #fff);
  border: 2px solid var(--mh-input-border-color, #0b0c0c);
  border-radius: var(--mh-radius, 4px);
}
input.short { max-width: 12em; }
textarea { min-height: 8em; resize: vertical; }
[aria-invalid=true] { border-color: var(--mh-error-color, #b3261e) !important; }
fieldset {
  margin: 0 0 1.5em; padding: 0.75em 1em 0.25em;
  border: 1px solid var(--mh-border-color, #b1b4b6); border-radius: var(--mh-radius, 4px);
}
legend { font-weight: 700; font-size: 1.125em; padding: 0 0.25em; }
fieldset fieldset legend { font-size: 1em; }
button {
  font: inherit; font-weight: 600; cursor: pointer; padding: 0.5em 1.1em; margin: 0 0 1em;
  color: var(--mh-button-color, #fff);
  background: var(--mh-button-background, var(--mh-accent, #0b57a4));
  border: 2px solid var(--mh-button-border-color, transparent);
  border-radius: var(--mh-button-radius, var(--mh-radius, 4px));
}
button:hover { filter: brightness(0.9); }
button.secondary {
  color: var(--mh-button-secondary-color, #0b0c0c);
  background: var(--mh-button-secondary-background, #f3f2f1);
  border-color: var(--mh-border-color, #b1b4b6);
}
button[aria-disabled=true] { opacity: 0.65; cursor: progress; }
.search { display: flex; gap: 0.5em; align-items: flex-start; }
.search input { flex: 1; }
.search button { margin: 0; }
.finder { margin: 0 0 1.25em; padding: 0.75em; background: var(--mh-panel-background, #f3f2f1); border-radius: var(--mh-radius, 4px); }
.results { list-style: none; margin: 0.5em 0 0; padding: 0; }
.results li { margin: 0 0 0.35em; }
.results button {
  display: block; width: 100%; text-align: left; margin: 0; font-weight: 400;
  color: var(--mh-color, #1d1d1f); background: var(--mh-input-background, #fff);
  border-color: var(--mh-border-color, #b1b4b6);
}
.results .name { font-weight: 600; display: block; }
.count { margin: 0.35em 0 0; color: var(--mh-muted-color, #505a5f); }
.count.over { color: var(--mh-error-color, #b3261e); font-weight: 600; }
.commitments { margin: 0 0 1em; padding-left: 1.25em; }
.checkbox { display: flex; gap: 0.6em; align-items: flex-start; }
.checkbox input { width: 1.5em; height: 1.5em; flex: none; margin: 0.1em 0 0; accent-color: var(--mh-accent, #0b57a4); }
.checkbox label { font-weight: 400; }
.summary {
  margin: 0 0 1.5em; padding: 1em;
  border: 4px solid var(--mh-error-color, #b3261e); border-radius: var(--mh-radius, 4px);
}
.summary ul { margin: 0; padding-left: 1.25em; }
.summary a { color: var(--mh-error-color, #b3261e); font-weight: 600; }
.confirmation {
  padding: 1em 1.25em; border-radius: var(--mh-radius, 4px);
  border: 4px solid var(--mh-success-color, #00703c);
  background: var(--mh-success-background, transparent);
}
.message { margin: 0 0 1em; }
h2[tabindex="-1"]:focus { outline: none; }
.message button { margin: 0.5em 0 0; }
`;

/** Our own summary of what a school signs up to (the form's commitments, in other words). */
const COMMITMENTS = [
  'Both Mastery Advocates are released from school for every half-day Work Group meeting during the year.',
  'They also get release time for development work in school between meetings, agreed with the Mastery Specialist.',
  'Between meetings they carry out the tasks they agree with the Specialist, with the full backing of the head of department and senior leaders.',
  'They help with the Work Group’s reporting and evaluation at the end of the year; anything quoted from it is anonymised first.',
];

const TRN_HINT =
  'Seven digits, for example 1234567 (a payslip shows it as RP12/34567). Write UQT if the teacher does not have qualified teacher status.';

/** A control's id inside the shadow root, from its path in the input ("advocates.0.email"). */
const idFor = (name: string) => `mh-${name.replace(/\./g, '-')}`;

interface FieldSpec {
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'email' | 'tel';
  autocomplete?: string;
  multiline?: boolean;
  optional?: boolean;
  short?: boolean;
  inputmode?: string;
}

/** The form's controls by input path, the groups (fieldsets) by input path, and their errors. */
class FormView {
  readonly controls = new Map<string, Control>();
  readonly groups = new Map<string, HTMLFieldSetElement>();
  readonly #errors = new Map<Element, HTMLElement>();
  readonly #hints = new Map<Element, string>();

  /** A labelled control with its hint and its (hidden) error message. */
  field(spec: FieldSpec): HTMLElement {
    const id = idFor(spec.name);
    const hintId = spec.hint ? `${id}-hint` : null;
    const common = {
      id,
      name: spec.name,
      part: 'input',
      required: !spec.optional,
      autocomplete: spec.autocomplete ?? 'off',
      'aria-describedby': hintId,
    };
    const control = spec.multiline
      ? h('textarea', { ...common, rows: 6, spellcheck: 'true' })
      : h('input', {
          ...common,
          type: spec.type ?? 'text',
          class: spec.short ? 'short' : null,
          inputmode: spec.inputmode,
          spellcheck: spec.type === 'email' || spec.inputmode ? 'false' : null,
        });
    this.controls.set(spec.name, control);
    const error = h('p', { class: 'error', part: 'error', id: `${id}-error`, hidden: true });
    this.#errors.set(control, error);
    if (hintId) this.#hints.set(control, hintId);
    return h(
      'div',
      { class: 'field' },
      h(
        'label',
        { for: id, part: 'label' },
        spec.label,
        spec.optional
          ? h('span', { class: 'muted' }, ' (optional)')
          : h('span', { class: 'required', 'aria-hidden': 'true' }, ' *'),
      ),
      spec.hint ? h('p', { class: 'hint', part: 'hint', id: hintId }, spec.hint) : null,
      error,
      control,
    );
  }

  /** A required checkbox, its label after it and its error message before. */
  checkbox(name: string, label: string): HTMLElement {
    const id = idFor(name);
    const control = h('input', { type: 'checkbox', id, name, part: 'input checkbox', required: true });
    const error = h('p', { class: 'error', part: 'error', id: `${id}-error`, hidden: true });
    this.controls.set(name, control);
    this.#errors.set(control, error);
    return h(
      'div',
      { class: 'field' },
      error,
      h(
        'div',
        { class: 'checkbox' },
        control,
        h(
          'label',
          { for: id, part: 'label' },
          label,
          h('span', { class: 'required', 'aria-hidden': 'true' }, ' *'),
        ),
      ),
    );
  }

  /** A fieldset that errors about the whole group (e.g. ["input","advocates"]) attach to. */
  group(name: string, legend: string, ...children: (Node | null)[]): HTMLFieldSetElement {
    const id = idFor(name);
    const error = h('p', { class: 'error group-error', part: 'error', id: `${id}-error`, hidden: true });
    const fieldset = h(
      'fieldset',
      { part: 'fieldset', id },
      h('legend', { part: 'legend' }, legend),
      error,
      ...children,
    );
    this.groups.set(name, fieldset);
    this.#errors.set(fieldset, error);
    return fieldset;
  }

  /** Where a userError's field path belongs: the control or group with its longest prefix. */
  target(field: readonly string[] | null): Control | HTMLFieldSetElement | null {
    if (!field) return null;
    const path = field[0] === 'input' ? field.slice(1) : [...field];
    for (let n = path.length; n > 0; n--) {
      const key = path.slice(0, n).join('.');
      const found = this.controls.get(key) ?? this.groups.get(key);
      if (found) return found;
    }
    return null;
  }

  /** Shows a message beside a control or group (several messages for one field are all shown). */
  showError(target: Control | HTMLFieldSetElement, message: string) {
    const error = this.#errors.get(target)!;
    if (error.hidden) {
      error.replaceChildren(h('span', { class: 'visually-hidden' }, 'Error: '));
      error.hidden = false;
    } else {
      error.append(h('br'));
    }
    error.append(message);
    const describedBy = [this.#hints.get(target), error.id].filter(Boolean).join(' ');
    target.setAttribute('aria-describedby', describedBy);
    if (target instanceof HTMLFieldSetElement) target.classList.add('invalid');
    else {
      target.setAttribute('aria-invalid', 'true');
      target.closest('.field')?.classList.add('invalid');
    }
  }

  clearErrors() {
    for (const [target, error] of this.#errors) {
      error.hidden = true;
      error.replaceChildren();
      const hint = this.#hints.get(target);
      if (hint) target.setAttribute('aria-describedby', hint);
      else target.removeAttribute('aria-describedby');
      target.removeAttribute('aria-invalid');
      target.classList.remove('invalid');
      target.closest('.field')?.classList.remove('invalid');
    }
  }

  /** What to focus for a target: the control, or a group's first control. */
  static focusable(target: Control | HTMLFieldSetElement): HTMLElement {
    return target instanceof HTMLFieldSetElement
      ? (target.querySelector<HTMLElement>('input, textarea, button') ?? target)
      : target;
  }
}

/**
 * The element. Attributes: `cohort` (its code; required) and `api` (the API's origin, when not
 * the script's; http:, https: or relative, else ignored with a console warning). Theme: the --mh-*
 * custom properties of BASE_STYLES, and --mh-accent, --mh-button-background, --mh-button-color,
 * --mh-button-radius, --mh-input-background, --mh-input-border-color, --mh-panel-background,
 * --mh-success-color, --mh-max-width. Parts: widget, cohort, heading, form, fieldset, legend,
 * label, hint, input, checkbox, button, result, results, count, error, error-summary, message,
 * confirmation.
 */
export class MathsHubApply extends HTMLElement {
  static observedAttributes = ['cohort', 'api'];

  #root: ShadowRoot | null = null;
  #container: HTMLElement | null = null;
  /** The endpoint and cohort shown (or being loaded): reconnecting the same element does not reload. */
  #key: string | null = null;
  #loading: AbortController | null = null;
  /** What the visitor typed, kept across a reload (another cohort, a retry) until it is sent. */
  #draft = new Map<string, string | boolean>();
  #view: FormView | null = null;

  connectedCallback() {
    this.#start();
  }

  disconnectedCallback() {
    // A load cut short is redone when the element is connected again.
    if (this.#loading) {
      this.#loading.abort();
      this.#loading = null;
      this.#key = null;
    }
  }

  attributeChangedCallback(_name: string, previous: string | null, value: string | null) {
    if (previous !== value && this.isConnected) this.#start();
  }

  /** Loads and renders, unless this cohort is already shown; never throws. */
  #start() {
    try {
      const key = `${endpointFor(this)}|${this.getAttribute('cohort')?.trim() ?? ''}`;
      if (key === this.#key) return;
      this.#key = key;
      this.#saveDraft();
      this.#view = null;
      this.#load().catch((error) => this.#showLoadFailure(error));
    } catch (error) {
      this.#key = null;
      this.#showLoadFailure(error);
    }
  }

  #render(...children: (Node | null)[]) {
    if (!this.#root || !this.#container) {
      this.#root = attachShadowWithStyles(this, STYLES);
      this.#container = h('div', { class: 'widget', part: 'widget' });
      this.#root.append(this.#container);
    }
    this.#container.replaceChildren(...children.filter((c): c is Node => c !== null));
  }

  async #load() {
    this.#loading?.abort();
    const loading = new AbortController();
    this.#loading = loading;
    const code = this.getAttribute('cohort')?.trim() ?? '';
    if (!code) {
      this.#loading = null;
      this.#render(
        h(
          'p',
          { class: 'message', part: 'message' },
          'This application form needs a cohort: give the element a cohort attribute, e.g. cohort="WM1-SEC-TFM-DEV-2025-26".',
        ),
      );
      return;
    }
    this.#render(
      h('p', { role: 'status', part: 'message', class: 'muted' }, 'Loading the application form…'),
    );
    let cohort: CohortQuery['cohort'];
    try {
      ({ cohort } = await clientFor(this).request(CohortDocument, { code }, { signal: loading.signal }));
    } catch (error) {
      if (loading.signal.aborted) return;
      throw error;
    } finally {
      if (this.#loading === loading) this.#loading = null;
    }
    if (loading.signal.aborted) return;
    if (!cohort) {
      this.#render(
        h(
          'p',
          { class: 'message', part: 'message', role: 'alert' },
          `There is no cohort with the code “${code}”, so there is nothing to apply for here. Please check with the Maths Hub.`,
        ),
      );
      return;
    }
    if (!cohort.isRecruiting) {
      this.#render(this.#cohortSummary(cohort), this.#notRecruiting(cohort));
      return;
    }
    this.#render(this.#cohortSummary(cohort), this.#form(cohort));
  }

  #showLoadFailure(error: unknown) {
    const retry = h('button', { type: 'button', part: 'button', class: 'secondary' }, 'Try again');
    retry.addEventListener('click', () => {
      this.#key = null;
      this.#start();
    });
    this.#render(
      h(
        'div',
        { class: 'message', part: 'message', role: 'alert' },
        h('p', {}, describeFailure(error, 'the application form')),
        retry,
      ),
    );
  }

  #cohortSummary(cohort: Cohort): HTMLElement {
    const runBy = cohort.hub?.name ?? cohort.region?.name ?? 'Maths Hubs (national)';
    const deadline = cohort.applicationDeadline
      ? formatDate(cohort.applicationDeadline)
      : 'No closing date has been set';
    const eligibility = cohort.programme.eligibility;
    return h(
      'section',
      { part: 'cohort', 'aria-labelledby': 'mh-cohort-title' },
      h('h2', { id: 'mh-cohort-title', part: 'heading' }, `Apply for ${cohort.name}`),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Programme'),
        h('dd', {}, cohort.programme.name),
        h('dt', {}, 'Run by'),
        h('dd', {}, runBy),
        h('dt', {}, 'Closing date'),
        h('dd', {}, deadline),
        h('dt', {}, 'Places left'),
        h('dd', {}, `${cohort.placesRemaining} of ${cohort.capacity}`),
      ),
      eligibility.length > 0
        ? h(
            'div',
            {},
            h('h3', {}, 'Who can apply'),
            h('ul', {}, ...eligibility.map((rule) => h('li', {}, rule.description))),
          )
        : null,
    );
  }

  #notRecruiting(cohort: Cohort): HTMLElement {
    const closed =
      cohort.status === 'RECRUITING' && cohort.applicationDeadline
        ? `Applications closed on ${formatDate(cohort.applicationDeadline)}.`
        : cohort.status === 'PLANNED'
          ? 'It is not taking applications yet. Please come back when the Maths Hub opens recruitment.'
          : 'It is no longer taking applications.';
    return h(
      'p',
      { class: 'message', part: 'message', role: 'status' },
      `You cannot apply for this cohort here. ${closed}`,
    );
  }

  // ───────────── the form ─────────────

  #form(cohort: Cohort): HTMLFormElement {
    const view = new FormView();
    this.#view = view;
    const top = h('div', {});
    const status = h('p', { role: 'status', class: 'visually-hidden' });
    const submit = h('button', { type: 'submit', part: 'button', id: 'mh-submit' }, 'Send application');

    const person = (prefix: string, section: string, withTrn: boolean) => [
      view.field({ name: `${prefix}.name`, label: 'Full name', autocomplete: `section-${section} name` }),
      view.field({
        name: `${prefix}.email`,
        label: 'Email address',
        type: 'email',
        autocomplete: `section-${section} work email`,
      }),
      withTrn
        ? view.field({
            name: `${prefix}.trn`,
            label: 'Teacher Reference Number (TRN)',
            hint: TRN_HINT,
            short: true,
          })
        : null,
    ];
    const advocate = (index: number, legend: string) =>
      view.group(
        `advocates.${index}`,
        legend,
        ...person(`advocates.${index}`, `advocate${index + 1}`, true),
        view.field({
          name: `advocates.${index}.yearGroupsTaught`,
          label: 'Year groups they teach this year',
          hint: 'For example, Years 7, 8 and 10.',
        }),
        view.field({
          name: `advocates.${index}.responsibility`,
          label: 'Their role in the maths department',
          hint: 'For example, key stage 3 lead or class teacher.',
        }),
      );

    const statement = view.field({
      name: 'statement',
      label: 'Statement from the head of department',
      hint: `In about ${STATEMENT_WORDS} words: why the department wants to join this Work Group, what difference you hope it will make, and why you chose these two teachers. We can accept up to ${STATEMENT_LIMIT} words.`,
      multiline: true,
    });
    const statementControl = view.controls.get('statement')!;
    const count = h('p', { class: 'count', part: 'count', 'aria-hidden': 'true' });
    const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'mh-statement-count' });
    statement.append(count, announcer);
    let announce: ReturnType<typeof setTimeout> | undefined;
    const updateCount = () => {
      const text = wordCountText(countWords(statementControl.value));
      count.textContent = text;
      count.classList.toggle('over', countWords(statementControl.value) > STATEMENT_LIMIT);
      clearTimeout(announce);
      announce = setTimeout(() => {
        announcer.textContent = text;
      }, ANNOUNCE_AFTER_MS);
    };
    statementControl.addEventListener('input', updateCount);

    const commitments = view.group(
      'commitments',
      'The school’s commitment',
      h('p', {}, 'If the school is offered a place, it agrees that:'),
      h('ul', { class: 'commitments' }, ...COMMITMENTS.map((text) => h('li', {}, text))),
      view.checkbox(
        'commitmentsConfirmed',
        'The headteacher, the head of department and both Mastery Advocates have read and agree to these commitments.',
      ),
    );

    const form = h(
      'form',
      { part: 'form', novalidate: true, 'aria-labelledby': 'mh-cohort-title' },
      top,
      h('p', { class: 'muted' }, 'Fields marked ', h('span', { class: 'required' }, '*'), ' are required.'),
      view.group(
        'school',
        'Your school',
        view.field({
          name: 'schoolUrn',
          label: 'School URN',
          hint: 'The six-digit unique reference number of your school. If you do not know it, search for your school below.',
          short: true,
          inputmode: 'numeric',
        }),
        this.#schoolFinder(view),
        view.field({
          name: 'contactTelephone',
          label: 'Telephone number for this application',
          hint: 'For example, 0121 496 0000.',
          type: 'tel',
          autocomplete: 'section-school work tel',
        }),
      ),
      view.group(
        'headteacher',
        'Headteacher or senior leader',
        ...person('headteacher', 'headteacher', false),
      ),
      view.group(
        'headOfDepartment',
        'Head of the mathematics department',
        ...person('headOfDepartment', 'hod', true),
      ),
      view.group(
        'advocates',
        'The two Mastery Advocates',
        h(
          'p',
          { class: 'hint' },
          'The two teachers who will take part in the Work Group. It works best when one of them holds a significant responsibility in the department.',
        ),
        h(
          'p',
          { class: 'hint' },
          'The programme is funded by the Department for Education, so every teacher needs a TRN. A teacher who has lost theirs can ',
          h(
            'a',
            { href: 'https://find-a-lost-trn.education.gov.uk/start', target: '_blank', rel: 'noopener' },
            'find it on GOV.UK (opens in a new tab)',
          ),
          '.',
        ),
        advocate(0, 'First Mastery Advocate'),
        advocate(1, 'Second Mastery Advocate'),
      ),
      view.field({
        name: 'priorSpecialistWork',
        label: 'Work with a Mastery Specialist so far',
        hint: 'If your school has already worked with a Maths Hub Mastery Specialist, give their name and say what you did together. Leave this empty if not.',
        multiline: true,
        optional: true,
      }),
      statement,
      commitments,
      status,
      submit,
    );

    this.#restoreDraft(view);
    updateCount();
    announcer.textContent = count.textContent;
    form.addEventListener('input', () => this.#saveDraft());
    form.addEventListener('change', () => this.#saveDraft());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#submit(cohort, view, { form, top, status, submit }).catch((error) =>
        this.#showSubmitFailure(top, error),
      );
    });
    return form;
  }

  /** A search box for the school's name and a list of matches; choosing one fills in the URN. */
  #schoolFinder(view: FormView): HTMLElement {
    const search = h('input', {
      type: 'search',
      id: 'mh-school-search',
      part: 'input',
      autocomplete: 'off',
      'aria-describedby': 'mh-school-search-hint',
    });
    const button = h('button', { type: 'button', part: 'button', class: 'secondary' }, 'Search');
    const found = h('p', { role: 'status', class: 'hint', id: 'mh-school-results-status' });
    const results = h('ul', {
      class: 'results',
      part: 'results',
      'aria-labelledby': 'mh-school-results-status',
    });
    let generation = 0;

    const choose = (school: School) => {
      const urn = view.controls.get('schoolUrn')!;
      urn.value = school.urn;
      this.#saveDraft();
      results.replaceChildren();
      found.textContent = `You chose ${school.name}: its URN, ${school.urn}, is now in the School URN box.`;
      urn.focus();
    };
    const run = async () => {
      const text = search.value.trim();
      const mine = ++generation;
      results.replaceChildren();
      if (text.length < 2) {
        found.textContent = 'Type at least two letters of the school’s name.';
        return;
      }
      found.textContent = 'Searching…';
      try {
        const { schools } = await clientFor(this).request(SchoolSearchDocument, { search: text, first: 10 });
        if (mine !== generation) return;
        found.textContent =
          schools.totalCount === 0
            ? `No school’s name contains “${text}”. Try fewer or different words.`
            : schools.totalCount > schools.nodes.length
              ? `${schools.totalCount} schools match; here are the first ${schools.nodes.length}. Choose yours, or add more of its name.`
              : `${schools.totalCount} ${schools.totalCount === 1 ? 'school matches' : 'schools match'}. Choose yours:`;
        results.replaceChildren(
          ...schools.nodes.map((school) => {
            const pick = h(
              'button',
              { type: 'button', part: 'button result' },
              h('span', { class: 'name' }, school.name),
              h(
                'span',
                { class: 'muted' },
                [`URN ${school.urn}`, school.localAuthority, school.postcode, school.hub?.name]
                  .filter(Boolean)
                  .join(' · '),
              ),
            );
            pick.addEventListener('click', () => choose(school));
            return h('li', {}, pick);
          }),
        );
      } catch (error) {
        if (mine === generation) found.textContent = describeFailure(error, 'the list of schools');
      }
    };
    button.addEventListener('click', () => void run());
    // Enter in the search box searches; it must not send the whole application.
    search.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        void run();
      }
    });
    return h(
      'div',
      { class: 'finder', role: 'search', 'aria-label': 'Find your school’s URN' },
      h('label', { for: 'mh-school-search', part: 'label' }, 'Find your school’s URN'),
      h('p', { class: 'hint', id: 'mh-school-search-hint' }, 'Type part of the school’s name, then Search.'),
      h('div', { class: 'search' }, search, button),
      found,
      results,
    );
  }

  // ───────────── sending ─────────────

  #value(view: FormView, name: string): string {
    return view.controls.get(name)?.value ?? '';
  }

  #input(cohort: Cohort, view: FormView): SubmitApplicationInput {
    const value = (name: string) => this.#value(view, name);
    const prior = value('priorSpecialistWork').trim();
    return {
      cohortCode: cohort.code,
      schoolUrn: value('schoolUrn'),
      contactTelephone: value('contactTelephone'),
      headteacher: { name: value('headteacher.name'), email: value('headteacher.email') },
      headOfDepartment: {
        name: value('headOfDepartment.name'),
        email: value('headOfDepartment.email'),
        trn: value('headOfDepartment.trn'),
      },
      advocates: [0, 1].map((i) => ({
        name: value(`advocates.${i}.name`),
        email: value(`advocates.${i}.email`),
        trn: value(`advocates.${i}.trn`),
        yearGroupsTaught: value(`advocates.${i}.yearGroupsTaught`),
        responsibility: value(`advocates.${i}.responsibility`),
      })),
      priorSpecialistWork: prior || null,
      statement: value('statement'),
      commitmentsConfirmed: (view.controls.get('commitmentsConfirmed') as HTMLInputElement).checked,
    };
  }

  #sending = false;

  async #submit(
    cohort: Cohort,
    view: FormView,
    parts: { form: HTMLFormElement; top: HTMLElement; status: HTMLElement; submit: HTMLButtonElement },
  ) {
    if (this.#sending) return;
    this.#sending = true;
    parts.submit.setAttribute('aria-disabled', 'true');
    parts.status.textContent = 'Sending your application…';
    try {
      const { submitApplication: result } = await clientFor(this).request(SubmitApplicationDocument, {
        input: this.#input(cohort, view),
      });
      parts.status.textContent = '';
      if (view !== this.#view) return; // the element moved on to another cohort meanwhile
      if (result.application && result.userErrors.length === 0) {
        this.#draft.clear();
        this.#view = null;
        this.#showConfirmation(cohort, result.application);
        return;
      }
      this.#showUserErrors(view, parts.top, result.userErrors);
    } finally {
      this.#sending = false;
      parts.submit.removeAttribute('aria-disabled');
      parts.status.textContent = '';
    }
  }

  #showUserErrors(view: FormView, top: HTMLElement, errors: readonly UserError[]) {
    view.clearErrors();
    const items = (errors.length > 0 ? errors : [{ field: null, message: GENERIC_REFUSAL }]).map(
      ({ field, message }) => {
        const target = view.target(field);
        if (!target) return h('li', {}, message);
        view.showError(target, message);
        const focusable = FormView.focusable(target);
        const link = h('a', { href: `#${focusable.id}` }, message);
        link.addEventListener('click', (event) => {
          event.preventDefault();
          focusable.focus();
        });
        return h('li', {}, link);
      },
    );
    const summary = h(
      'div',
      {
        class: 'summary',
        part: 'error-summary',
        role: 'alert',
        tabindex: -1,
        'aria-labelledby': 'mh-summary-title',
      },
      h('h3', { id: 'mh-summary-title' }, 'There is a problem with the application'),
      h(
        'p',
        {},
        items.length === 1
          ? 'Please put this right and send it again:'
          : `Please put these ${items.length} things right and send it again:`,
      ),
      h('ul', {}, ...items),
    );
    top.replaceChildren(summary);
    summary.focus();
  }

  #showSubmitFailure(top: HTMLElement, error: unknown) {
    const message = h(
      'div',
      { class: 'message', part: 'message', role: 'alert', tabindex: -1 },
      h('p', {}, describeSendFailure(error)),
    );
    top.replaceChildren(message);
    message.focus();
  }

  #showConfirmation(cohort: Cohort, application: Application) {
    const hub = cohort.hub?.name ?? 'The Maths Hub';
    const heading = h('h2', { tabindex: -1, id: 'mh-confirmation-title' }, 'Application sent');
    this.#render(
      h(
        'section',
        { class: 'confirmation', part: 'confirmation', 'aria-labelledby': 'mh-confirmation-title' },
        heading,
        h(
          'p',
          {},
          `${application.school.name} (URN ${application.school.urn}) has applied for a place on ${application.cohort.name}.`,
        ),
        h('h3', {}, 'What happens next'),
        h(
          'p',
          {},
          `${hub} will consider the application${cohort.applicationDeadline ? ` once applications close on ${formatDate(cohort.applicationDeadline)}` : ''}, and will contact the school using the details you gave to say whether it has a place.`,
        ),
        h(
          'p',
          {},
          'If any of those details change before then, or you have a question, please get in touch with the hub directly.',
        ),
      ),
    );
    heading.focus();
  }

  // ───────────── the draft ─────────────

  #saveDraft() {
    const view = this.#view;
    if (!view) return;
    for (const [name, control] of view.controls)
      this.#draft.set(
        name,
        control instanceof HTMLInputElement && control.type === 'checkbox' ? control.checked : control.value,
      );
  }

  #restoreDraft(view: FormView) {
    for (const [name, value] of this.#draft) {
      const control = view.controls.get(name);
      if (!control) continue;
      if (typeof value === 'boolean' && control instanceof HTMLInputElement) control.checked = value;
      else if (typeof value === 'string') control.value = value;
    }
  }
}

const GENERIC_REFUSAL = 'The application was not accepted. Please check the form and send it again.';

function wordCountText(words: number): string {
  const noun = words === 1 ? 'word' : 'words';
  if (words > STATEMENT_LIMIT)
    return `${words} ${noun}: ${words - STATEMENT_LIMIT} more than the ${STATEMENT_LIMIT} we can accept.`;
  return `${words} ${noun} of about ${STATEMENT_WORDS} (we can accept up to ${STATEMENT_LIMIT}).`;
}

/** Like describeFailure, for sending: says the application was not sent and nothing typed is lost. */
function describeSendFailure(error: unknown): string {
  const kept = 'Your answers are still here, so you can send it again';
  switch (failureKind(error)) {
    case 'rate-limited':
      return `Too many requests have reached the Maths Hubs service from here just now, so your application has not been sent. ${kept} in a minute.`;
    case 'unavailable':
      return `The Maths Hubs service cannot be reached just now, so your application has not been sent. ${kept} shortly.`;
    default:
      return `Something went wrong while sending your application, so it has not been sent. ${kept} later.`;
  }
}
