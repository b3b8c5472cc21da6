import type { CorrectionLabel } from '../inference/personal-prototypes';
import type { Recognition, RecognizedDigit } from '../worker/contract';

const CROP_SIZE = 28;

/** The elements the reading is shown in. */
export interface ResultElements {
  result: HTMLOutputElement;
  status: HTMLElement;
  digits: HTMLOListElement;
  boxes: HTMLElement;
  /** A digit's card was activated (click, tap, Enter, Space): the person wants to correct it. */
  onDigitActivated?(index: number, card: HTMLButtonElement): void;
}

/** A digit as shown: as read, or as the person corrected it. */
export interface ShownDigit extends RecognizedDigit {
  correctedTo?: CorrectionLabel;
}

/** A reading as shown, its digits perhaps corrected. */
export interface ShownRecognition extends Recognition {
  digits: ShownDigit[];
}

/** Shows the reading: the number, a hint, the boxes over the ink and the crops the model saw. */
export function showRecognition(view: ResultElements, recognition: ShownRecognition, hint = hintFor(recognition)): void {
  setText(view, recognition.text);
  view.digits.replaceChildren(...recognition.digits.map((digit, index) => renderDigitCard(view, digit, index)));
  view.boxes.replaceChildren(...recognition.digits.map(renderBox));
  setStatus(view, hint);
}

/** The reading with digit `index` corrected by the person: the digit, or "?" for "not a digit". */
export function correctDigit(recognition: ShownRecognition, index: number, label: CorrectionLabel): ShownRecognition {
  const digits = recognition.digits.map((digit, i) => (i === index ? { ...digit, digit: label === 'none' ? null : label, runnerUp: null, correctedTo: label } : digit));
  return { ...recognition, digits, text: digits.map((d) => (d.digit === null ? '?' : String(d.digit))).join('') };
}

/** The card of digit `index` (to give it focus again after the reading is redrawn). */
export function digitCard(view: ResultElements, index: number): HTMLButtonElement | null {
  return view.digits.querySelectorAll<HTMLButtonElement>('[data-testid="digit"]')[index] ?? null;
}

/** Empties the reading (the pad is blank). */
export function showEmpty(view: ResultElements): void {
  setText(view, '');
  view.digits.replaceChildren();
  view.boxes.replaceChildren();
  setStatus(view, 'Write a digit or a whole number.');
}

/** Marks whether the shown reading is for the current ink. */
export function setBusy(view: ResultElements, busy: boolean): void {
  view.result.setAttribute('aria-busy', String(busy));
}

/** Shows a line of status; errors are styled and announced. */
export function setStatus(view: ResultElements, message: string, isError = false): void {
  view.status.textContent = message;
  view.status.classList.toggle('error', isError);
}

/** A button offered with an error, e.g. Retry. */
export interface ErrorAction {
  label: string;
  run(): void;
}

/**
 * Shows an error as a short sentence for the person, a button that deals with it, and the
 * technical cause in small print (clipped to one line; the full text is its tooltip), all in the
 * status line, which announces it. The reading above is emptied: it cannot belong to this state.
 */
export function showError(view: ResultElements, headline: string, detail: string, action: ErrorAction): void {
  setText(view, '');
  view.digits.replaceChildren();
  view.boxes.replaceChildren();
  const message = document.createElement('span');
  message.className = 'headline';
  message.textContent = headline;
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = action.label;
  button.addEventListener('click', action.run, { once: true });
  const cause = document.createElement('small');
  cause.className = 'detail';
  cause.textContent = detail;
  cause.title = detail;
  view.status.replaceChildren(message, ' ', button, cause);
  view.status.classList.add('error');
}

/** The result's text; a picture's several numbers (one per line) share the one line's height. */
function setText(view: ResultElements, text: string): void {
  view.result.textContent = text;
  view.result.style.setProperty('--lines', String(text.split('\n').length));
}

function hintFor(recognition: Recognition): string {
  const unsure = recognition.digits.filter((d) => d.digit === null).length;
  if (recognition.digits.length === 0) return 'No digit found in that ink — try writing bigger.';
  if (recognition.truncated) return `Only the first ${recognition.digits.length} digits are read — clear the pad to write more.`;
  if (unsure > 0) return unsure === 1
    ? '“?” marks ink that does not look like a digit — try writing it again.'
    : `${unsure} marks show ink that does not look like digits — try writing them again.`;
  return recognition.digits.length === 1 ? 'Read 1 digit.' : `Read ${recognition.digits.length} digits.`;
}

/** A digit's card: a button (it opens the corrections) in a list item that says what was read. */
function renderDigitCard(view: ResultElements, digit: ShownDigit, index: number): HTMLLIElement {
  const item = document.createElement('li');
  item.className = 'digit';
  const card = document.createElement('button');
  card.type = 'button';
  card.dataset.testid = 'digit';
  card.setAttribute('aria-haspopup', 'dialog');
  // Its name starts with what it does and then says what is shown (axe: the visible text must be in the name).
  const purpose = document.createElement('span');
  purpose.className = 'visually-hidden';
  purpose.textContent = `Correct digit ${index + 1}, shown as`;
  card.append(purpose, renderCrop(digit.crop));
  const answer = document.createElement('strong');
  answer.textContent = digit.digit === null ? '?' : String(digit.digit);
  const confidence = document.createElement('span');
  confidence.textContent = digit.correctedTo !== undefined
    ? 'corrected by you'
    : digit.digit === null
      ? `maybe ${digit.best} (${percent(digit.confidence)})`
      : percent(digit.confidence);
  const runnerUp = document.createElement('span');
  runnerUp.textContent = digit.runnerUp ? `or ${digit.runnerUp.digit} (${percent(digit.runnerUp.confidence)})` : '';
  card.append(answer, confidence, runnerUp);
  card.title = 'Wrong? Correct it';
  card.addEventListener('click', () => view.onDigitActivated?.(index, card));
  item.append(card);
  item.setAttribute('aria-label', `Digit ${index + 1}: ${answer.textContent}, ${confidence.textContent}`);
  return item;
}

function renderCrop(crop: Float32Array): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = CROP_SIZE;
  canvas.height = CROP_SIZE;
  canvas.title = 'What the model sees (28×28)';
  const pixels = new ImageData(CROP_SIZE, CROP_SIZE);
  for (let i = 0; i < crop.length; i++) {
    const level = Math.round(crop[i] * 255);
    pixels.data.set([level, level, level, 255], i * 4);
  }
  canvas.getContext('2d')?.putImageData(pixels, 0, 0);
  return canvas;
}

function renderBox(digit: RecognizedDigit): HTMLDivElement {
  const box = document.createElement('div');
  box.className = digit.digit === null ? 'box unsure' : 'box';
  Object.assign(box.style, {
    left: `${digit.box.x}px`,
    top: `${digit.box.y}px`,
    width: `${digit.box.width}px`,
    height: `${digit.box.height}px`,
  });
  const label = document.createElement('span');
  label.textContent = digit.digit === null ? '?' : String(digit.digit);
  box.append(label);
  return box;
}

function percent(probability: number): string {
  return `${Math.round(probability * 100)}%`;
}
