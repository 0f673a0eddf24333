const mask = '••••';
/** Shorter secrets show no characters at all: their last four would be too large a share. */
const minimumLengthToShowEnd = 12;

/**
 * A masked hint to recognise stored credentials, e.g. `api_key ••••a1b2`: the first
 * secret field that has a value, with its last four characters when it is long enough.
 * null when no secret field has a value.
 */
export function credentialHint(credentials: Record<string, string>, secretFieldNames: string[]): string | null {
  const name = secretFieldNames.find((field) => Object.hasOwn(credentials, field) && credentials[field] !== '');
  if (name === undefined) return null;
  const characters = [...(credentials[name] ?? '')];
  const end = characters.length >= minimumLengthToShowEnd ? characters.slice(-4).join('') : '';
  return `${name} ${mask}${end}`;
}
