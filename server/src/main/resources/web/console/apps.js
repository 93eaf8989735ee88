// Host app names for the figures, which the API keys by app id. Admins may read every app; a broadcaster may not, and
// then the id is the name. "" is the media players (FLV, RTMP) that no app's token attributes.
import { api, seg } from './api.js';

const names = new Map([['', 'Players (no app)']]);

export async function appName(id) {
  if (!names.has(id)) {
    names.set(id, api('GET', '/apps/' + seg(id)).then((app) => app.name || id, () => id));
  }
  return names.get(id);
}

/** Names for several ids at once, as a Map id → name. */
export async function appNames(ids) {
  const pairs = await Promise.all(ids.map(async (id) => [id, await appName(id)]));
  return new Map(pairs);
}
