import type { AuthUser } from '@passerelle/platform';
import type { ProposalDetail } from '@passerelle/proposals';
import { csrfField, escapeHtml, table, type Texts } from './console.page';

type Form = Record<string, unknown>;
type FieldErrors = Map<string, string[]>;
const RECOMMENDATIONS = ['approve', 'revise', 'reject'];
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

interface PageState {
  notice?: string;
  /** The form the errors and values are for. */
  form?: string;
  errors?: FieldErrors;
  values?: Form;
}

/** The messages of one field, beside it, and the attributes that tie the field to them. */
function fieldErrors(errors: FieldErrors | undefined, field: string, id: string): { html: string; attrs: string } {
  const messages = errors?.get(field) ?? [];
  if (messages.length === 0) return { html: '', attrs: '' };
  return { html: `<p class="error" id="${id}-error">${messages.map(escapeHtml).join('<br>')}</p>`, attrs: ` aria-invalid="true" aria-describedby="${id}-error"` };
}

function input(id: string, name: string, label: string, value: string, errors: FieldErrors | undefined, options: { type?: string; hint?: string; required?: boolean; field?: string } = {}): string {
  const e = fieldErrors(errors, options.field ?? name, id);
  const hint = options.hint ? `<p class="hint" id="${id}-hint">${options.hint}</p>` : '';
  const described = options.hint && !e.attrs ? ` aria-describedby="${id}-hint"` : '';
  return `<div class="field"><label for="${id}">${label}</label>${hint}${e.html}<input type="${options.type ?? 'text'}" id="${id}" name="${name}" value="${escapeHtml(value)}"${options.required ? ' required' : ''}${e.attrs}${described}></div>`;
}

function textarea(id: string, name: string, label: string, value: string, errors: FieldErrors | undefined, required = false): string {
  const e = fieldErrors(errors, name, id);
  return `<div class="field"><label for="${id}">${label}</label>${e.html}<textarea id="${id}" name="${name}"${required ? ' required' : ''}${e.attrs}>${escapeHtml(value)}</textarea></div>`;
}

/** One proposal's page: its fields, its history, reviews, approvals, declarations (staff), and the forms of what the reader may do now. */
export function proposalPage(texts: Texts, user: AuthUser, csrf: string, p: ProposalDetail, people: Map<string, string>, callTitle: string | null, state: PageState): string {
  const who = (id: string | null) => (id && people.has(id) ? people.get(id)! : texts.t('someone'));
  const whoHtml = (id: string | null) => (id && people.has(id) ? escapeHtml(people.get(id)!) : texts.t('someone'));
  const staff = user.role !== 'partner';
  const notice = state.notice ? `<p class="notice${state.errors ? ' error' : ''}" role="alert">${state.notice}</p>` : '';
  const budget = p.budget ? `${new Intl.NumberFormat(texts.written).format(p.budget.amount)} ${p.budget.currency}` : '—';
  const fields = `<h2>${texts.t('proposal.fields')}</h2><dl class="fields">
<dt>${texts.t('col.status')}</dt><dd id="status">${texts.maybe(`status.${p.status}`, p.status)}</dd>
<dt>${texts.t('field.summary')}</dt><dd>${escapeHtml(p.summary)}</dd>
<dt>${texts.t('field.sectors')}</dt><dd>${escapeHtml(p.sectors.join(', '))}</dd>
<dt>${texts.t('field.countries')}</dt><dd>${escapeHtml(p.countries.join(', '))}</dd>
<dt>${texts.t('field.durationMonths')}</dt><dd>${p.durationMonths}</dd>
<dt>${texts.t('field.budget')}</dt><dd>${escapeHtml(budget)}</dd>
<dt>${texts.t('field.callId')}</dt><dd>${callTitle ? escapeHtml(callTitle) : texts.t('field.callId.none')}</dd>
<dt>${texts.t('field.round')}</dt><dd>${p.round}</dd>
<dt>${texts.t('field.version')}</dt><dd>${p.version}</dd></dl>`;
  const history = `<h2>${texts.t('proposal.history')}</h2><ol class="timeline">${p.history
    .map((h) => `<li><time datetime="${escapeHtml(h.at)}">${texts.date(h.at)}</time>${texts.t('event.by', { what: label(texts, `event.${h.type}`, h.type), who: who(h.actor) })}</li>`)
    .join('')}</ol>`;
  const reviews = `<h2>${texts.t('proposal.reviews')}</h2>${table(
    texts,
    [texts.t('field.round'), texts.t('col.person'), texts.t('review.score'), texts.t('review.recommendation'), texts.t('review.comment'), texts.t('col.updated')],
    p.reviews.map((r) => [String(r.round), whoHtml(r.reviewerId), String(r.score), texts.maybe(`recommendation.${r.recommendation}`, r.recommendation), escapeHtml(r.comment), texts.date(r.reviewedAt)]),
  )}`;
  const approvals = `<h2>${texts.t('proposal.approvals')}</h2>${table(
    texts,
    [texts.t('field.round'), texts.t('col.person'), texts.t('col.updated')],
    p.approvals.map((a) => [String(a.round), whoHtml(a.approverId), texts.date(a.at)]),
  )}`;
  const conflicts = staff
    ? `<h2>${texts.t('proposal.conflicts')}</h2>${table(
        texts,
        [texts.t('col.person'), texts.t('col.status'), texts.t('col.updated')],
        (p.conflictDeclarations ?? []).map((c) => [whoHtml(c.staffId), c.conflict ? texts.t('conflict.yes', { reason: c.reason ?? '' }) : texts.t('conflict.no'), texts.date(c.declaredAt)]),
      )}`
    : '';
  return `${notice}${fields}${actions(texts, user, csrf, p, state)}${history}${reviews}${approvals}${conflicts}`;
}

function label(texts: Texts, name: string, fallback: string): string {
  // event.by escapes its values itself: the plain words here.
  const html = texts.maybe(name, fallback);
  return html.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

/** The forms the reader may use on the proposal in its state, each carrying the version it was read at. */
function actions(texts: Texts, user: AuthUser, csrf: string, p: ProposalDetail, state: PageState): string {
  const hidden = `${csrfField(csrf)}<input type="hidden" name="version" value="${p.version}">`;
  const errorsFor = (form: string) => (state.form === form ? state.errors : undefined);
  const valueOf = (form: string, name: string) => (state.form === form ? text(state.values?.[name]) : '');
  const formError = (form: string) => {
    const messages = [...(errorsFor(form)?.get('form') ?? []), ...(errorsFor(form)?.get('version') ?? [])];
    return messages.length ? `<p class="error" role="alert">${messages.map(escapeHtml).join('<br>')}</p>` : '';
  };
  const forms: string[] = [];
  const open = (form: string, title: string) => `<form method="post" action="/console/proposals/${escapeHtml(p.id)}/${form}" class="action" id="form-${form}"><h3>${title}</h3>${hidden}${formError(form)}`;
  if (user.role === 'partner') {
    if (p.status === 'draft' || p.status === 'changes_requested') {
      forms.push(`<p><a href="/console/proposals/${escapeHtml(p.id)}/edit" id="edit">${texts.t('proposal.edit')}</a></p>`);
      forms.push(`${open('submit', texts.t('proposal.submit'))}<button type="submit">${texts.t('proposal.submit')}</button></form>`);
    }
    if (p.status === 'draft' || p.status === 'submitted' || p.status === 'changes_requested') {
      forms.push(`${open('withdraw', texts.t('proposal.withdraw'))}${input('withdraw-reason', 'reason', texts.t('proposal.withdraw.reason'), valueOf('withdraw', 'reason'), errorsFor('withdraw'))}<button type="submit" class="danger">${texts.t('proposal.withdraw')}</button></form>`);
    }
  } else {
    const mine = (p.conflictDeclarations ?? []).find((c) => c.staffId === user.id);
    if (!mine && (p.status === 'draft' || p.status === 'submitted' || p.status === 'changes_requested')) {
      const e = fieldErrors(errorsFor('conflict'), 'conflict', 'conflict');
      const chosen = valueOf('conflict', 'conflict');
      forms.push(`${open('conflict', texts.t('conflict.title'))}<fieldset class="field"><legend>${texts.t('conflict.title')}</legend>${e.html}
<div><input type="radio" id="conflict-no" name="conflict" value="no"${chosen === 'no' ? ' checked' : ''}><label for="conflict-no">${texts.t('conflict.none')}</label></div>
<div><input type="radio" id="conflict-yes" name="conflict" value="yes"${chosen === 'yes' ? ' checked' : ''}><label for="conflict-yes">${texts.t('conflict.some')}</label></div></fieldset>
${input('conflict-reason', 'reason', texts.t('conflict.reason'), valueOf('conflict', 'reason'), errorsFor('conflict'))}<button type="submit">${texts.t('conflict.submit')}</button></form>`);
    }
    if (p.status === 'submitted' && mine && !mine.conflict) {
      if (!p.reviews.some((r) => r.reviewerId === user.id && r.round === p.round)) {
        const e = fieldErrors(errorsFor('review'), 'recommendation', 'review-recommendation');
        const chosen = valueOf('review', 'recommendation');
        forms.push(`${open('review', texts.t('review.title'))}${input('review-score', 'score', texts.t('review.score'), valueOf('review', 'score'), errorsFor('review'), { type: 'number', field: 'score' })}
<div class="field"><label for="review-recommendation">${texts.t('review.recommendation')}</label>${e.html}<select id="review-recommendation" name="recommendation"${e.attrs}>${RECOMMENDATIONS.map((r) => `<option value="${r}"${r === chosen ? ' selected' : ''}>${texts.t(`recommendation.${r}`)}</option>`).join('')}</select></div>
${textarea('review-comment', 'comment', texts.t('review.comment'), valueOf('review', 'comment'), errorsFor('review'))}<button type="submit">${texts.t('review.submit')}</button></form>`);
      }
      forms.push(`${open('request-changes', texts.t('changes.title'))}${textarea('changes-comment', 'comment', texts.t('changes.comment'), valueOf('request-changes', 'comment'), errorsFor('request-changes'))}<button type="submit">${texts.t('changes.submit')}</button></form>`);
      if (!p.approvals.some((a) => a.approverId === user.id && a.round === p.round)) {
        forms.push(`${open('approve', texts.t('approve.title'))}<button type="submit">${texts.t('approve.submit')}</button></form>`);
      }
      forms.push(`${open('reject', texts.t('reject.title'))}${textarea('reject-reason', 'reason', texts.t('reject.reason'), valueOf('reject', 'reason'), errorsFor('reject'))}<button type="submit" class="danger">${texts.t('reject.submit')}</button></form>`);
    }
  }
  return forms.length ? `<h2>${texts.t('proposal.actions')}</h2><div class="actions">${forms.join('\n')}</div>` : '';
}

/** The form to draft a proposal (no `proposal`) or edit one, with the API's messages beside each field. */
export function proposalForm(texts: Texts, csrf: string, proposal: ProposalDetail | null, values: Form, errors: FieldErrors, calls: { id: string; title: string }[]): string {
  const v = (name: string) => text(values[name]);
  const action = proposal ? `/console/proposals/${escapeHtml(proposal.id)}/edit` : '/console/proposals/new';
  const version = proposal ? `<input type="hidden" name="version" value="${escapeHtml(v('version') || String(proposal.version))}">` : '';
  const general = [...(errors.get('form') ?? []), ...(errors.get('version') ?? [])];
  const invalid = errors.size > 0 ? `<p class="notice error" role="alert">${texts.t('proposal.invalid')}${general.length ? `<br>${general.map(escapeHtml).join('<br>')}` : ''}</p>` : '';
  const callError = fieldErrors(errors, 'callId', 'callId');
  const budgetError = fieldErrors(errors, 'budget', 'budget');
  return `${invalid}<form method="post" action="${action}" class="edit" novalidate>${csrfField(csrf)}${version}
${input('title', 'title', texts.t('field.title'), v('title'), errors, { required: true })}
${textarea('summary', 'summary', texts.t('field.summary'), v('summary'), errors, true)}
${input('sectors', 'sectors', texts.t('field.sectors'), v('sectors'), errors, { hint: texts.t('field.sectors.hint') })}
${input('countries', 'countries', texts.t('field.countries'), v('countries'), errors, { hint: texts.t('field.countries.hint') })}
${input('durationMonths', 'durationMonths', texts.t('field.durationMonths'), v('durationMonths'), errors, { type: 'number' })}
<fieldset class="field"><legend>${texts.t('field.budget')}</legend>${budgetError.html}
${input('amount', 'amount', texts.t('field.budget.amount'), v('amount'), errors, { field: 'budget.amount' })}
${input('currency', 'currency', texts.t('field.budget.currency'), v('currency'), errors, { field: 'budget.currency' })}</fieldset>
<div class="field"><label for="callId">${texts.t('field.callId')}</label>${callError.html}<select id="callId" name="callId"${callError.attrs}><option value="">${texts.t('field.callId.none')}</option>${calls
    .map((c) => `<option value="${escapeHtml(c.id)}"${c.id === v('callId') ? ' selected' : ''}>${escapeHtml(c.title)}</option>`)
    .join('')}</select></div>
<button type="submit">${texts.t(proposal ? 'proposal.save' : 'proposal.create')}</button></form>`;
}
