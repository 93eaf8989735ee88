// <live-room room="r…" app="app_…" token="…">: the live container host apps embed (docs/host-apps.md). It plays the
// room, loads the instance bound to the room for this app and runs each component in its own sandboxed iframe, wired
// to the room through the emitter bridge (docs/components.md). Host page events: `state`, `viewers`, `open`, `share`,
// `add-to-cart`, `error` (CustomEvents on the element). `playback="auto|flv|hls"` picks the player (playback.js).
// `replay="latest|rec_…"` plays a finished recording of the room instead of the live show (replay-player.js), with
// the same components; `el.recordings()` lists the ones there are.
//
//   <script type="module" src="https://openlive.example.com/sdk/live-room.js"></script>
//   <live-room room="r…" app="app_…"></live-room>
//   el.tokenProvider = async () => (await fetch('/my/viewer-token')).text();

import { choosePlayer, createPlayer, hlsPlayer, playbackMode, preloadLibrary } from './playback.js';
import { ReplayPlayer, recordingOf } from './replay-player.js';
import { mark, watchVideo } from './marks.js';
import { RealtimeChannel } from './realtime.js';
import { TokenSource } from './token-source.js';
import { ComponentSet } from './component-set.js';
import { SyncQueue } from './media-sync.js';
import { answerLocally } from './local-methods.js';
import { LIMITS } from './limits.js';
import { NOT_YET_OFFERED } from './permissions.js';
import { BridgeError } from './errors.js';
import { SLOTS } from './layout.js';
import { STYLE } from './styles.js';

/** How long a host page has to answer an `add-to-cart` event before the component hears `ok: null`. */
const HOST_CART_ANSWER_MS = 10_000;

/** The platform this file was served from: API, /rt and FLV live there unless the `server` attribute says otherwise. */
const DEFAULT_SERVER = new URL('../', import.meta.url);

const STATE_TEXT = {
  connecting: 'Connecting…',
  waiting: 'The show has not started yet',
  live: '',
  reconnecting: 'Reconnecting…',
  ended: 'The show has ended',
  replay: '',
  unsupported: 'This browser cannot play live video (it has neither Media Source Extensions nor HLS). Try a current Chrome, Edge, Firefox or Safari.',
  error: 'This room cannot be shown',
};

export class LiveRoomElement extends HTMLElement {
  static observedAttributes = ['room', 'app', 'token', 'server', 'buffer', 'playback', 'replay'];

  #tokens = new TokenSource();
  #ui = null;
  #player = null;
  #playerKind = null;
  /** The video's performance marks and stall count (marks.js). */
  #videoWatch = null;
  #rt = null;
  #components = null;
  #sync = new SyncQueue(() => (this.#roomState === 'live' && !this.#replay ? this.#player?.mediaTime() ?? null : null));
  #roomState = null;
  #state = null;
  #viewer = null;
  #viewerReady = null;
  #resolveViewer = null;
  #info = null;
  #title = null;
  #containerId = 0;
  #refreshTimer = null;
  #started = false;
  #visibility = null;
  /** Replay mode: the `replay` attribute ('latest' or a recording id) while started, else null (the live show). */
  #replay = null;
  /** The recording replayed, {id, startedAt, endedAt, duration} (null where unknown), once known. */
  #recording = null;
  #replayReady = null;
  #resolveReplay = null;
  #replayAsked = false;

  connectedCallback() {
    mark('connected');
    // a property set before this element was upgraded shadows the setter; take it over
    if (Object.hasOwn(this, 'tokenProvider')) {
      const p = this.tokenProvider;
      delete this.tokenProvider;
      this.tokenProvider = p;
    }
    this.#render();
    // start after the current task, so a host page that appends the element and then sets tokenProvider is heard
    setTimeout(() => this.isConnected && this.#start(), 0);
  }

  disconnectedCallback() {
    this.#stop();
  }

  attributeChangedCallback(name, before, after) {
    if (name === 'token') {
      this.#tokens.setFixed(after);
    }
    if (name === 'buffer' && this.#player) {
      this.#player.targetLatency = after;
    }
    if (name === 'playback' && this.#started && before !== after && !this.#replay) {
      const kind = choosePlayer(playbackMode(after), this.#ui.video);
      if (kind !== this.#playerKind) {
        this.#usePlayer(kind);
      }
    }
    if (this.#started && before !== after && (name === 'room' || name === 'app' || name === 'server' || name === 'replay')) {
      this.#stop();
      this.#start();
    }
  }

  /** An async function returning a fresh viewer token; called at start, before expiry and after a refusal. */
  set tokenProvider(provider) {
    this.#tokens.setProvider(provider);
    if (this.#started) {
      this.#rt?.close();
      this.#openChannel(); // sign in now rather than at the next drop
    }
  }

  get tokenProvider() {
    return undefined; // write-only: the token never leaves the container
  }

  /**
   * waiting | live | ended | reconnecting | unsupported | error, or `replay` while a recording plays (also raised as the
   * `state` event; for `replay` its detail has `recording`).
   */
  get state() {
    return this.#state;
  }

  /** The recording being replayed, {id, startedAt, endedAt, duration}, or null (live, or not known yet). */
  get replay() {
    return this.#recording ? { ...this.#recording } : null;
  }

  /**
   * async: the room's finished recordings, newest first, [{id, startedAt, endedAt, duration}] (epoch ms, seconds), as
   * the server lists them to this viewer of this host app (`room.recordings`). Rejects while the room is not connected.
   */
  async recordings() {
    if (!this.#rt) {
      throw new Error('the room is not connected');
    }
    await this.#viewerReady;
    const result = await this.#rt.call('room.recordings', {});
    return Array.isArray(result?.items) ? result.items : [];
  }

  /**
   * The player's position, the media timestamp (ms) on screen, the seconds buffered ahead, which player plays
   * (`player`: 'flv' | 'hls.js' | 'native-hls' | null) and how often the picture waited for data; for tools and tests.
   */
  get playback() {
    const v = this.#ui?.video;
    return { currentTime: v?.currentTime ?? 0, muted: !!v?.muted, mediaTime: this.#player?.mediaTime() ?? null,
      bufferedAhead: this.#player?.bufferedAhead() ?? 0, player: this.#playerKind, stalls: this.#videoWatch?.stalls ?? 0 };
  }

  /**
   * Milliseconds behind live as the container sees it: room.info's `mediaTime` (the newest media timestamp the server
   * has received) minus the media timestamp on screen halfway through the call; null while either is unknown. For tools.
   */
  async latency() {
    const rt = this.#rt;
    const before = this.#player?.mediaTime() ?? null;
    if (!rt || before == null) {
      return null;
    }
    const info = await rt.call('room.info', {});
    const after = this.#player?.mediaTime() ?? null;
    return typeof info?.mediaTime === 'number' && after != null ? info.mediaTime - (before + after) / 2 : null;
  }

  #server() {
    return new URL(this.getAttribute('server') || DEFAULT_SERVER);
  }

  #render() {
    if (this.#ui) {
      return;
    }
    // open: the host page may style or inspect its own room; the security boundary is each component's iframe
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${STYLE}</style>
      <div class="room" part="room">
        <div class="stage" part="stage">
          <video playsinline></video>
          <div class="slot overlay"></div>
          <div class="status busy" role="status" aria-live="polite"><div><div class="spinner"></div><span></span></div></div>
          <button class="unmute" type="button" hidden><svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path fill="currentColor" d="M3 9h4l5-4v14l-5-4H3zM16 9l5 6M21 9l-5 6" stroke="currentColor" stroke-width="2"/></svg> Tap to unmute</button>
        </div>
        <div class="slot product-bar"></div>
        <div class="slot bottom-bar"></div>
        <div class="slot side-panel"></div>
      </div>`;
    const q = (s) => root.querySelector(s);
    this.#ui = { video: q('video'), status: q('.status'), statusText: q('.status span'), unmute: q('.unmute'),
      slots: Object.fromEntries(SLOTS.map((s) => [s, q('.slot.' + s)])) };
    this.#ui.unmute.addEventListener('click', () => this.#player?.unmute());
    this.#videoWatch = watchVideo(this.#ui.video); // performance marks and stalls, for benchmarks and page monitoring
  }

  #start() {
    if (this.#started) {
      return;
    }
    const room = this.getAttribute('room');
    const app = this.getAttribute('app');
    if (!room || !app) {
      this.#setState('error', { code: 'bad_attributes', message: '<live-room> needs room and app attributes' });
      return;
    }
    this.#started = true;
    this.#viewerReady = new Promise((resolve) => { this.#resolveViewer = resolve; });
    this.#replay = this.hasAttribute('replay') ? this.getAttribute('replay') || 'latest' : null;
    this.#recording = null;
    this.#replayAsked = false;
    this.#replayReady = new Promise((resolve) => { this.#resolveReplay = resolve; });
    let kind;
    if (this.#replay) {
      // a recording is VOD HLS: hls.js, or the browser's own HLS without MSE, whatever `playback` says
      kind = hlsPlayer(this.#ui.video);
      preloadLibrary(kind, this.#server());
      this.#playerKind = kind;
      if (kind && this.#replay !== 'latest') {
        this.#playRecording({ id: this.#replay }); // the id is the playlist's name: no need to wait for the list
      }
    } else {
      this.#resolveReplay(null);
      kind = choosePlayer(playbackMode(this.getAttribute('playback')), this.#ui.video);
      preloadLibrary(kind, this.#server());
      this.#usePlayer(kind);
      if (this.#roomState == null) {
        // most rooms a page opens are live: connect now, before the container document says so (~150 ms sooner; a
        // room not yet live keeps the stream request waiting); a room found not live stops the player in #roomChanged
        this.#player?.start(this.#server());
      }
    }
    this.#setState(kind ? 'connecting' : 'unsupported');
    this.#components = new ComponentSet(this.#ui.slots, this.#bridgeHost());
    this.#visibility = () => this.#components?.setPageVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', this.#visibility);
    this.#visibility();
    this.#openChannel();
    this.#loadContainer();
  }

  #stop() {
    this.#started = false;
    clearTimeout(this.#refreshTimer);
    this.#rt?.close();
    this.#rt = null;
    this.#player?.stop();
    this.#player = null;
    this.#playerKind = null;
    this.#resolveReplay?.(null);
    this.#replay = null;
    this.#components?.clear('closed');
    this.#components?.disconnect();
    this.#components = null;
    this.#sync.flush();
    if (this.#visibility) {
      document.removeEventListener('visibilitychange', this.#visibility);
    }
  }

  // --- the realtime channel ---------------------------------------------------------------------------------------

  #openChannel() {
    const server = this.#server();
    const rtUrl = async () => {
      const url = new URL('rt', server);
      url.protocol = server.protocol === 'https:' ? 'wss:' : 'ws:';
      url.searchParams.set('room', this.getAttribute('room'));
      url.searchParams.set('app', this.getAttribute('app'));
      const token = await this.#tokens.current();
      mark('token');
      if (token) {
        url.searchParams.set('token', token);
        this.#scheduleRefresh();
      }
      return url;
    };
    const previous = this.#rt;
    this.#rt = new RealtimeChannel(rtUrl, {
      onMessage: (e) => this.#onMessage(e),
      onState: (s, detail) => this.#channelState(s, detail),
      onResync: () => this.#refreshInfo(),
      onTokenRefused: () => this.#tokens.invalidate(),
    });
    // subscriptions survive a new channel (a token that arrived late)
    const topics = new Set(['presence']);
    this.#components?.topics().forEach((t) => topics.add(t));
    previous?.close();
    this.#rt.subscribe([...topics]);
    this.#rt.connect();
  }

  #scheduleRefresh() {
    clearTimeout(this.#refreshTimer);
    const ms = this.#tokens.msUntilRefresh();
    if (ms != null) {
      // fetched ahead of time so a reconnect never waits for the host's backend
      this.#refreshTimer = setTimeout(() => this.#tokens.current().then(() => this.#scheduleRefresh(), () => {}), ms);
    }
  }

  #channelState(s, detail) {
    if (s === 'refused') {
      this.#error(detail?.code ?? 'refused', detail?.message ?? 'the room refused this viewer');
      if (['room_not_found', 'room_not_delivered', 'banned', 'origin_not_allowed'].includes(detail?.code)) {
        this.#setState('error', detail);
      }
      this.#resolveViewer?.({ id: null, name: null, anonymous: true });
      if (this.#replay && !this.#recording) {
        this.#resolveReplay?.(null); // nothing to list through a refused channel; a replay by id plays on
      }
      if (this.#replay === 'latest' && !this.#player) {
        this.#setState('error', detail ?? { code: 'refused' }); // nothing else will play: say why (a later welcome recovers)
      }
    }
  }

  #onMessage(e) {
    if (e.op === 'skipped') {
      this.#components?.skipped(e.topic, e.count); // the server left messages out of a busy room's stream
      return;
    }
    if (e.op !== 'msg') {
      return;
    }
    if (e.topic === 'system') {
      this.#onSystem(e.data ?? {});
    } else if (e.topic === 'presence') {
      const d = e.data ?? {};
      this.#emit('viewers', { total: d.total ?? 0, app: d.apps?.[this.getAttribute('app')] ?? 0 });
    }
    const deliver = () => this.#components?.deliver(e);
    if (isSynced(e)) {
      this.#sync.push(e.mt, deliver);
    } else {
      deliver();
    }
  }

  #onSystem(d) {
    switch (d.type) {
      case 'welcome':
        this.#viewer = { id: d.viewer?.id ?? null, name: d.viewer?.name ?? null, anonymous: !!d.viewer?.anonymous };
        this.#resolveViewer?.(this.#viewer);
        this.#refreshInfo();
        break;
      case 'live':
        this.#roomChanged('live');
        break;
      case 'ended':
        this.#roomChanged('ended');
        break;
      case 'unmount':
        this.#components?.unmount(d.versionId, 'revoked');
        break;
      case 'instance':
        if (d.app === this.getAttribute('app')) {
          this.#loadContainer(); // rebound: swap components without reloading the page
        }
        break;
      case 'banned':
        this.#setState('error', { code: 'banned', message: 'you are banned from this room' });
        this.#player?.stop();
        break;
      default:
    }
  }

  async #refreshInfo() {
    try {
      this.#info = await this.#rt.call('room.info', {});
      this.#roomChanged(this.#info?.room?.state ?? this.#roomState);
      this.#emit('viewers', { total: this.#info?.viewers ?? 0, app: null });
    } catch {
      // the channel dropped again; the next welcome asks once more
    }
    if (this.#replay && !this.#replayAsked) {
      this.#findRecording();
    }
  }

  // --- replay --------------------------------------------------------------------------------------------------------

  /** Asks the server which recordings the room has: `latest` plays the newest, an id gets its start and length. */
  async #findRecording() {
    this.#replayAsked = true;
    const want = this.#replay;
    let items;
    try {
      items = await this.recordings();
    } catch (e) {
      if (['unavailable', 'timeout', 'closed'].includes(e.code) || !e.code) {
        this.#replayAsked = false; // the channel dropped: the next welcome asks again
        return;
      }
      if (this.#replay !== want || !this.#started) {
        return;
      }
      if (want === 'latest') {
        this.#error(e.code, e.message);
        this.#setState('error', { code: e.code, message: 'the room\'s recordings cannot be listed: ' + e.message });
      }
      this.#resolveReplay?.(this.#replayView()); // a replay by id plays on: its playlist decides
      return;
    }
    if (this.#replay !== want || !this.#started) {
      return;
    }
    const found = want === 'latest' ? items[0] : items.find((r) => r.id === want);
    if (found) {
      const recording = recordingOf(found);
      this.#recording = recording; // a replay by id plays already: the list adds its start and length
      this.#resolveReplay?.(this.#replayView());
      if (!this.#player && this.#playerKind) {
        this.#playRecording(recording);
      }
    } else if (want === 'latest') {
      this.#setState('error', { code: 'no_recording', message: 'this room has no finished recording yet' });
      this.#resolveReplay?.(null);
    } else {
      this.#resolveReplay?.(this.#replayView()); // not listed (an older one, another node's): its playlist decides
    }
  }

  #playRecording(recording) {
    this.#recording = recordingOf(recording);
    const url = new URL('recordings/' + encodeURIComponent(this.getAttribute('room')) + '/'
      + encodeURIComponent(recording.id) + '.m3u8', this.#server());
    // no unmute button over the picture: the video's own controls have a sound button, and it would cover their bar
    const events = { ...this.#playerEvents(), onSound: () => {} };
    this.#ui.unmute.hidden = true;
    this.#player = new ReplayPlayer(this.#ui.video, url.href, events, this.#playerKind === 'native-hls');
    this.#player.start(this.#server());
  }

  /** What components and the `state` event learn of the replay. */
  #replayView() {
    return this.#recording ? { ...this.#recording } : null;
  }

  // --- room and player state -----------------------------------------------------------------------------------------

  #roomChanged(state) {
    const before = this.#roomState;
    this.#roomState = state;
    if (this.#replay) {
      return; // a replay plays on whatever the room does now, and its components stay
    }
    if (state === 'live') {
      mark('room-live');
      if (before === 'ended') {
        this.#loadContainer(); // components were destroyed when the show ended
      }
      this.#player?.start(this.#server());
      if (this.#state !== 'unsupported') {
        this.#setState(this.#state === 'live' ? 'live' : 'connecting');
      }
    } else if (state === 'ended') {
      this.#player?.stop(); // start() plays again when the room goes live
      this.#sync.flush();
      this.#components?.clear('ended');
      this.#setState('ended');
    } else if (state === 'scheduled') {
      this.#player?.stop(); // the early start in #start(): no stall watch or back-off while waiting for the show
      this.#setState('waiting');
    }
  }

  /** Swaps in a player of that kind (null: none can play), started at once while the room is live. */
  #usePlayer(kind) {
    this.#player?.stop();
    this.#playerKind = kind;
    this.#player = kind ? createPlayer(kind, this.#ui.video, this.#playerUrls(), this.#playerEvents()) : null;
    if (this.#player && this.hasAttribute('buffer')) {
      this.#player.targetLatency = this.getAttribute('buffer');
    }
    if (this.#player && this.#roomState === 'live') {
      this.#player.start(this.#server());
    }
  }

  #playerUrls() {
    const room = encodeURIComponent(this.getAttribute('room'));
    const flv = new URL('live/' + room + '.flv', this.#server());
    const ws = new URL(flv);
    ws.protocol = flv.protocol === 'https:' ? 'wss:' : 'ws:';
    return { ws: ws.href, http: flv.href, hls: new URL('live/' + room + '.m3u8', this.#server()).href };
  }

  #playerEvents() {
    return {
      onState: (s, detail) => this.#playerState(s, detail),
      onSound: (s) => { this.#ui.unmute.hidden = s !== 'muted'; },
      onUnplayable: (reason) => this.#flvUnplayable(reason),
    };
  }

  /** FLV never arrived over WebSocket nor HTTP: in auto mode, play HLS where this browser can (true: handed over). */
  #flvUnplayable(reason) {
    const kind = hlsPlayer(this.#ui.video);
    if (playbackMode(this.getAttribute('playback')) !== 'auto' || this.#playerKind !== 'flv' || !kind) {
      return false;
    }
    console.info('openlive: FLV did not arrive (' + reason + '); playing HLS instead');
    setTimeout(() => this.#started && this.#playerKind === 'flv' && this.#usePlayer(kind), 0);
    return true;
  }

  #playerState(s, detail) {
    if (this.#replay) {
      if (s === 'playing') {
        this.#setState('replay', { recording: this.#replayView() });
      } else if (s === 'unsupported') {
        this.#setState('unsupported');
      } else if (s === 'error') {
        this.#error(detail.code, detail.message);
        this.#setState('error', detail);
      }
      return;
    }
    if (this.#roomState !== 'live') {
      return;
    }
    if (s === 'playing') {
      this.#setState('live');
    } else if (s === 'reconnecting') {
      this.#setState('reconnecting', detail);
    } else if (s === 'unsupported') {
      this.#setState('unsupported');
    } else if (s === 'error') {
      this.#error(detail.code, detail.message);
    }
  }

  #setState(state, detail = {}) {
    if (state === this.#state && state !== 'reconnecting') {
      return;
    }
    if (this.#state === 'unsupported' && state !== 'ended' && state !== 'error') {
      return; // nothing the room does makes this browser able to play; keep saying so
    }
    this.#state = state;
    const text = state === 'error' && detail.message ? STATE_TEXT.error + ': ' + detail.message : STATE_TEXT[state] ?? '';
    this.#ui.statusText.textContent = text;
    this.#ui.status.hidden = state === 'live' || state === 'replay';
    this.#ui.status.classList.toggle('busy', state === 'connecting' || state === 'reconnecting');
    this.#emit('state', { state, ...detail });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #error(code, message, component) {
    this.#emit('error', { code, message, component });
  }

  // --- components ----------------------------------------------------------------------------------------------------

  async #loadContainer() {
    const ticket = ++this.#containerId;
    const server = this.#server();
    const url = new URL('api/v1/rooms/' + encodeURIComponent(this.getAttribute('room')) + '/apps/'
      + encodeURIComponent(this.getAttribute('app')) + '/container', server);
    let doc;
    try {
      const res = await fetch(url, { credentials: 'omit' });
      doc = await res.json();
      mark('container');
      if (!res.ok) {
        throw new Error(doc?.error?.message ?? 'HTTP ' + res.status);
      }
    } catch (e) {
      this.#error('container_unavailable', 'could not load the room\'s components: ' + e.message);
      return;
    }
    if (ticket !== this.#containerId || !this.#started) {
      return; // a newer load (a second rebinding) wins
    }
    this.#title = doc.title ?? this.#title;
    if (this.#roomState == null) {
      this.#roomChanged(doc.state);
    }
    // the picture first: the component frames load once the first frame is on screen (or after a short cap), so their
    // documents and scripts do not compete with the player's start for the page's main thread
    await this.#pictureOrSoon();
    if (ticket !== this.#containerId || !this.#started) {
      return;
    }
    this.#components?.mount(doc, this.#server());
  }

  /** Resolves when the first video frame is on screen, or after at most 1.5 s, or at once when nothing is playing. */
  #pictureOrSoon() {
    const v = this.#ui.video;
    if (!this.#player || this.#roomState !== 'live' || v.readyState >= 2 || !v.requestVideoFrameCallback) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 1500);
      v.requestVideoFrameCallback(() => { clearTimeout(timer); resolve(); });
    });
  }

  #bridgeHost() {
    return {
      initData: async (part) => {
        const viewer = await this.#viewerReady;
        const replay = await this.#replayReady;
        return {
          room: { id: this.getAttribute('room'), title: this.#info?.room?.title ?? this.#title, state: this.#roomState },
          app: { id: this.getAttribute('app') },
          viewer,
          replay,
          locale: navigator.language || 'en',
          config: part.config ?? {},
          limits: LIMITS,
          component: { id: part.component, versionId: part.versionId, version: part.version },
        };
      },
      serverCall: (part, method, params) => this.#serverCall(part, method, params),
      localCall: async (part, method, params) => answerLocally(this, part, this.#viewer ?? await this.#viewerReady, method, params),
      subscribe: (topics) => topics.length && this.#rt?.subscribe(topics),
      misbehaving: (part, reason) => {
        this.#components?.unmount(part.versionId, 'misbehaving');
        this.#error('component_unmounted', part.component + ' was unmounted: ' + reason, part.component);
      },
    };
  }

  async #serverCall(part, method, params) {
    if (!this.#rt) {
      throw new BridgeError('unavailable', 'the room is not connected');
    }
    try {
      // the server knows which component calls, and checks that version's manifest again
      const result = await this.#rt.call(method, params, { component: part.versionId });
      if (method === 'cart.add' && result?.hostCart === true) {
        return await this.#hostCartAdd(part, result);
      }
      return result;
    } catch (e) {
      if (e.code === 'unknown_method' && method === 'product.current') {
        return this.#pinnedFromInfo();
      }
      if (e.code === 'unknown_method' && NOT_YET_OFFERED.has(method)) {
        throw new BridgeError('unavailable', method + ' is not offered by this server yet');
      }
      throw e;
    }
  }

  /**
   * A host app that keeps its own cart gets `add-to-cart` (docs/commerce.md "Host-owned carts"): the page adds the
   * product to its cart and may answer through `detail.respond({ok, reason})`, which becomes the component's result. A
   * page that does not answer within HOST_CART_ANSWER_MS leaves the component with `{hostCart:true, ok:null}`.
   */
  #hostCartAdd(part, result) {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (answer) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          const ok = answer && typeof answer.ok === 'boolean' ? answer.ok : null;
          const reason = answer && typeof answer.reason === 'string' ? answer.reason.slice(0, 200) : undefined;
          resolve({ hostCart: true, productId: result.productId, quantity: result.quantity, ok, ...(reason ? { reason } : {}) });
        }
      };
      const timer = setTimeout(() => settle(null), HOST_CART_ANSWER_MS);
      this.#emit('add-to-cart', {
        productId: result.productId, quantity: result.quantity, room: this.getAttribute('room'),
        app: this.getAttribute('app'), component: part.component, respond: settle,
      });
    });
  }

  /** product.current before commerce: the pinned product as room.info reports it. */
  async #pinnedFromInfo() {
    const info = await this.#rt.call('room.info', {});
    const pinned = info?.pinned;
    return { product: pinned && typeof pinned === 'object' && Object.keys(pinned).length ? pinned : null };
  }
}

/** Topics whose messages wait for their frame: pins, and component topics emitted with `sync: true`. */
function isSynced(e) {
  return e.topic === 'product.pin' || e.sync === true || e.data?.sync === true;
}

if (!customElements.get('live-room')) {
  customElements.define('live-room', LiveRoomElement);
}
