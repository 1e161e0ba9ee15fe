// The app's SecretBox: key version 1 is derived from APP_SECRET. Changing APP_SECRET
// would leave sealed values unreadable: a rotation keeps the old secret as version 1
// and adds the new one as version 2 (values are re-sealed as they are next written).
import { config } from './config.js';
import { SecretBox } from './lib/secret-box.js';

let box: { secret: string; box: SecretBox } | undefined;

export function appSecretBox(): SecretBox {
  const secret = config().secret;
  if (box?.secret !== secret) box = { secret, box: new SecretBox({ 1: secret }) };
  return box.box;
}
