// Feeds fragmented MP4 to a <video> through Media Source Extensions (W3C MSE): one SourceBuffer per track, appends one
// at a time per buffer, pulling whatever is ready when the buffer is free (so a burst of tags becomes one media segment,
// and a quiet stream one segment per frame). Media more than BACK_S behind the playhead is removed, and a full buffer
// (QuotaExceededError) is answered by removing what is already played and trying once more.

/** Media kept behind the playhead before the older part is removed (seconds). */
export const BACK_S = 30;
/** What is left behind the playhead after a clean-up (seconds). */
const KEEP_BACK_S = 10;

export class MseFeed {
  #video;
  #pull;
  #onError;
  #source = null;
  #url = null;
  #buffers = new Map(); // kind -> { sb, mime, retry }
  #waiting = []; // tracks announced before the source opened
  #closed = false;
  #failed = false;

  /**
   * @param video the <video> element
   * @param pull (kind) => { init, mime } | { segment } | null, the next bytes for that track
   * @param onError (message) => void, once: an append, the media element or the decoder failed
   */
  constructor(video, pull, onError) {
    this.#video = video;
    this.#pull = pull;
    this.#onError = onError;
  }

  /** Attaches a new MediaSource to the video element. */
  open() {
    const MS = window.ManagedMediaSource || window.MediaSource;
    const source = new MS();
    this.#source = source;
    source.addEventListener('sourceopen', () => {
      URL.revokeObjectURL(this.#url);
      const waiting = this.#waiting.splice(0);
      if (waiting.length) {
        this.addTracks(waiting);
      }
    }, { once: true });
    if (window.ManagedMediaSource && source instanceof window.ManagedMediaSource) {
      this.#video.disableRemotePlayback = true; // Safari: a managed source plays only with remote playback off
    }
    this.#url = URL.createObjectURL(source);
    this.#video.src = this.#url;
    this.#video.addEventListener('error', this.#mediaError);
  }

  /**
   * One SourceBuffer per track ([{ kind, mime }]), all of them before any is fed: a media source takes no new buffer
   * once every buffer it has got its init segment.
   */
  addTracks(tracks) {
    if (this.#closed || this.#failed) {
      return;
    }
    if (this.#source.readyState !== 'open') {
      this.#waiting.push(...tracks);
      return;
    }
    for (const { kind, mime } of tracks) {
      let sb;
      try {
        sb = this.#source.addSourceBuffer(mime);
      } catch (e) {
        this.#fail('cannot play ' + mime + ': ' + e.message);
        return;
      }
      this.#buffers.set(kind, { sb, mime, retry: null });
      sb.addEventListener('updateend', () => this.#next(kind));
      sb.addEventListener('error', () => this.#fail('the media source rejected the ' + kind + ' data'));
    }
    tracks.forEach(({ kind }) => this.kick(kind));
  }

  /** Something is ready for this track: append it now if its buffer is free. */
  kick(kind) {
    const entry = this.#buffers.get(kind);
    if (!entry || entry.sb.updating || this.#closed || this.#failed) {
      return;
    }
    if (entry.retry) {
      const bytes = entry.retry;
      entry.retry = null;
      this.#append(entry, bytes, true);
      return;
    }
    const item = this.#pull(kind);
    if (!item) {
      return;
    }
    if (item.init) {
      if (item.mime !== entry.mime) {
        if (typeof entry.sb.changeType !== 'function') {
          this.#fail('this browser cannot change the codec of a playing stream (' + entry.mime + ' to ' + item.mime + ')');
          return;
        }
        entry.sb.changeType(item.mime); // a publisher came back with another profile or codec
        entry.mime = item.mime;
      }
      this.#append(entry, item.init, false);
    } else {
      this.#append(entry, item.segment, false);
    }
  }

  /** Stops feeding and detaches the MediaSource from the video element. */
  close() {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#video.removeEventListener('error', this.#mediaError);
    const v = this.#video;
    v.removeAttribute('src');
    v.load(); // releases the MediaSource and its buffers now, not when the element is collected
    if (this.#url) {
      URL.revokeObjectURL(this.#url);
    }
    this.#buffers.clear();
  }

  #append(entry, bytes, retried) {
    try {
      entry.sb.appendBuffer(bytes);
    } catch (e) {
      if (e.name === 'QuotaExceededError' && !retried) {
        // the buffer is full (a long stall, a small device): drop what is played and try the same bytes again
        entry.retry = bytes;
        if (!this.#removePlayed(entry, 1)) {
          this.#fail('the media buffer is full');
        }
        return;
      }
      this.#fail('appending media failed: ' + (e.name === 'QuotaExceededError' ? 'the media buffer is full' : e.message));
    }
  }

  #next(kind) {
    const entry = this.#buffers.get(kind);
    if (!entry || this.#closed || this.#failed) {
      return;
    }
    const b = entry.sb.buffered;
    if (b.length && this.#video.currentTime - b.start(0) > BACK_S && this.#removePlayed(entry, KEEP_BACK_S)) {
      return; // updateend again once removed
    }
    this.kick(kind);
  }

  /** Removes the media more than `keep` seconds behind the playhead; false when there is none to remove. */
  #removePlayed(entry, keep) {
    const b = entry.sb.buffered;
    const end = this.#video.currentTime - keep;
    if (!b.length || end <= b.start(0)) {
      return false;
    }
    try {
      entry.sb.remove(0, end);
      return true;
    } catch {
      return false;
    }
  }

  #mediaError = () => {
    const e = this.#video.error;
    this.#fail('media error ' + (e?.code ?? '') + (e?.message ? ': ' + e.message : ''));
  };

  #fail(message) {
    if (!this.#closed && !this.#failed) {
      this.#failed = true;
      this.#onError(message);
    }
  }
}
