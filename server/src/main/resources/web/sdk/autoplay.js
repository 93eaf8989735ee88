// Starts a live <video> with sound when the browser allows it, muted otherwise: a live picture that does not move because
// the browser refused sound is worse than a muted one with an unmute button. Shared by the FLV and HLS players.

export class Autoplay {
  #video;
  #onSound;
  #refusedPlays = 0;

  /** @param onSound ('muted'|'on') => void, told when the video had to go muted and when the viewer turns sound on */
  constructor(video, onSound) {
    this.#video = video;
    this.#onSound = onSound;
  }

  play() {
    const v = this.#video;
    v.play().then(() => { this.#refusedPlays = 0; }, (e) => {
      // the browser blocks sound without a gesture (NotAllowedError; some refuse otherwise, again and again): play
      // muted and let the viewer unmute, rather than show a still picture
      if (!v.muted && (e?.name === 'NotAllowedError' || ++this.#refusedPlays >= 2)) {
        v.muted = true;
        this.#onSound('muted');
        v.play().catch(() => {});
      }
    });
  }

  /** Turns sound on; called from the unmute button, a user gesture, so the browser allows it. */
  unmute() {
    this.#video.muted = false;
    this.#video.play().catch(() => {});
    this.#onSound('on');
  }
}
