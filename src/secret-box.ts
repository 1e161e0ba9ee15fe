// The app's SecretBox. Its key of version APP_SECRET_VERSION (1 unless raised) is
// derived from APP_SECRET; sealed values carry the version they were sealed with. To
// rotate the secret: set the new APP_SECRET, raise APP_SECRET_VERSION by one, and put
// the old secret in APP_SECRET_PREVIOUS — values sealed before still open, and are
// sealed with the new key the next time they are written.
import { config } from './config.js';
import { SecretBox } from './lib/secret-box.js';

let box: { id: string; box: SecretBox } | undefined;

export function appSecretBox(): SecretBox {
  const { secret, secretVersion, previousSecret } = config();
  const id = `${secretVersion}\n${secret}\n${previousSecret ?? ''}`;
  if (box?.id !== id) {
    const secrets: Record<number, string> = { [secretVersion]: secret };
    if (previousSecret && secretVersion > 1) secrets[secretVersion - 1] = previousSecret;
    box = { id, box: new SecretBox(secrets) };
  }
  return box.box;
}
