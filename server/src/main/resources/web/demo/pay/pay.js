// Demo Pay: a payments app's page embedding the same demo room with its own components (no shop ones). It shows the
// room state as a chip, the viewer count it learns from the `viewers` event, and refuses host.open politely.
import { mountDemoRoom, toast } from '../demo-session.js';

const chip = document.getElementById('state');
const hello = document.getElementById('hello');

try {
  const room = await mountDemoRoom(document.getElementById('room-slot'), 'pay', (viewer) => { hello.textContent = 'Welcome back, ' + viewer.name; });
  let state = 'connecting';
  let viewers = null;
  const render = () => {
    chip.textContent = state === 'live' && viewers != null ? 'live · ' + viewers + ' watching' : state;
    chip.dataset.state = state;
  };
  room.addEventListener('state', (e) => { state = e.detail.state; render(); });
  room.addEventListener('viewers', (e) => { viewers = e.detail.total; render(); });
  room.addEventListener('open', (e) => toast('Demo Pay has no ' + e.detail.target + ' page'));
} catch (e) {
  chip.textContent = 'unavailable';
  toast(e.message);
}
