// A pitch track of a recording, computed in this browser (YIN: cumulative mean normalised
// difference), for the practice report's pitch-over-time chart: the report itself carries only
// the server's pitch variance. 16 kHz, 32 ms windows every 20 ms, 70-400 Hz.

const RATE = 16000;
const WINDOW = 512;
const HOP = 320;
const MIN_HZ = 70;
const MAX_HZ = 400;
const THRESHOLD = 0.2;

export async function decodeMono16k(blob) {
  const bytes = await blob.arrayBuffer();
  const probe = new OfflineAudioContext(1, 1, RATE);
  const decoded = await probe.decodeAudioData(bytes);
  return decoded.getChannelData(0);
}

function yin(samples, start, minLag, maxLag, diff) {
  for (let tau = 1; tau <= maxLag; tau += 1) {
    let sum = 0;
    for (let j = 0; j < WINDOW; j += 1) {
      const delta = samples[start + j] - samples[start + j + tau];
      sum += delta * delta;
    }
    diff[tau] = sum;
  }
  let running = 0;
  for (let tau = 1; tau <= maxLag; tau += 1) {
    running += diff[tau];
    diff[tau] = running ? (diff[tau] * tau) / running : 1;
  }
  for (let tau = minLag; tau < maxLag; tau += 1) {
    if (diff[tau] < THRESHOLD) {
      while (tau + 1 < maxLag && diff[tau + 1] < diff[tau]) tau += 1;
      const [a, b, c] = [diff[tau - 1], diff[tau], diff[tau + 1]];
      const shift = (a - c) / (2 * (a - 2 * b + c) || 1);
      return RATE / (tau + (Math.abs(shift) < 1 ? shift : 0));
    }
  }
  return null;
}

/** [[seconds, hz | null], ...]: null where the frame is silent or unvoiced. */
export function pitchTrack(samples) {
  const minLag = Math.floor(RATE / MAX_HZ);
  const maxLag = Math.ceil(RATE / MIN_HZ);
  const diff = new Float32Array(maxLag + 2);
  let loudest = 0;
  const energies = [];
  for (let start = 0; start + WINDOW + maxLag + 1 < samples.length; start += HOP) {
    let energy = 0;
    for (let j = 0; j < WINDOW; j += 1) energy += samples[start + j] ** 2;
    energies.push(energy);
    loudest = Math.max(loudest, energy);
  }
  const raw = energies.map((energy, index) => {
    // Quiet frames (more than 30 dB under the loudest) are pauses, not voice.
    if (energy < loudest * 1e-3) return null;
    return yin(samples, index * HOP, minLag, maxLag, diff);
  });
  // A 5-frame median removes single-frame octave slips.
  return raw.map((value, index) => {
    if (value === null) return [(index * HOP) / RATE, null];
    const near = raw.slice(Math.max(0, index - 2), index + 3).filter((v) => v !== null).sort((a, b) => a - b);
    return [(index * HOP) / RATE, near[Math.floor(near.length / 2)]];
  });
}
