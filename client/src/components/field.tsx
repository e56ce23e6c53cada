import type { InputHTMLAttributes, LooseInputHTMLAttributes } from 'preact';
import { useState } from 'preact/hooks';
import { useT } from '../i18n.js';
import type { Problem } from '../validation.js';

/** The input attributes the app's forms use. */
interface InputProps {
  type?: 'text' | 'password' | 'number' | 'datetime-local';
  autoComplete?: string;
  autoCapitalize?: 'none' | 'off' | 'sentences' | 'words';
  inputMode?: 'text' | 'url' | 'numeric' | 'email';
  spellcheck?: boolean;
  required?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  step?: number;
  class?: string;
}

interface FieldProps extends InputProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: string;
  problem?: Problem;
  testId?: string;
}

/** A labelled input with a hint that turns into the problem message when the value is wrong. */
export function Field(props: FieldProps) {
  const { id, label, value, onValue, hint, problem, testId, class: extraClass, type = 'text', ...input } = props;
  const { t } = useT();
  const messageId = `${id}-message`;
  const message = problem ? t(problem.key, problem.values) : hint;
  // Preact types <input> per `type`; this field's type is a runtime choice, so build loose attributes.
  const attrs: LooseInputHTMLAttributes<HTMLInputElement> = {
    ...input,
    type,
    id,
    name: id,
    class: extraClass ? `field__input ${extraClass}` : 'field__input',
    value,
    onInput: (e) => onValue(e.currentTarget.value),
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': message ? messageId : undefined,
  };
  return (
    <div class={problem ? 'field field--invalid' : 'field'}>
      <label class="field__label" for={id}>
        {label}
      </label>
      <input {...(attrs as InputHTMLAttributes<HTMLInputElement>)} data-testid={testId} />
      {message && (
        <p id={messageId} class={problem ? 'field__message field__message--error' : 'field__message'}>
          {message}
        </p>
      )}
    </div>
  );
}

/** A password field with a "show password" switch under it. */
export function PasswordField(props: Omit<FieldProps, 'type'>) {
  const { t } = useT();
  const [shown, setShown] = useState(false);
  return (
    <>
      <Field {...props} type={shown ? 'text' : 'password'} />
      <label class="check">
        <input type="checkbox" checked={shown} onChange={(e) => setShown(e.currentTarget.checked)} />
        <span>{t('fields.showPassword')}</span>
      </label>
    </>
  );
}
