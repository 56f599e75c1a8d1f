// The microphone: whole recordings (MediaRecorder), recordings cut into self-contained chunks, and
// raw float32 frames for the live-metrics socket (an AudioWorklet).

const MIME_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];

export function recorderMimeType() {
  return MIME_TYPES.find((type) => window.MediaRecorder && MediaRecorder.isTypeSupported(type)) || "";
}

export function extensionFor(mimeType) {
  if (mimeType.includes("ogg")) return "ogg";
  if (mimeType.includes("mp4")) return "m4a";
  return "webm";
}

export async function openMicrophone() {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new Error("This browser cannot record audio here (a secure origin is needed: https or localhost).");
  }
  try {
    // Raw sound: the analysers measure volume, pauses and pitch, which processing would change.
    return await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
  } catch (error) {
    throw new Error(`The microphone could not be opened: ${error.message || error.name}.`);
  }
}

export function closeMicrophone(stream) {
  stream?.getTracks().forEach((track) => track.stop());
}

/** Starts recording; `stop()` resolves to the whole recording as one Blob. */
export function record(stream) {
  const mimeType = recorderMimeType();
  // 128 kbit/s: speech recognition and pitch tracking hear more of the voice than at the default.
  const recorder = new MediaRecorder(stream, { audioBitsPerSecond: 128_000, ...(mimeType ? { mimeType } : {}) });
  const parts = [];
  recorder.addEventListener("dataavailable", (event) => event.data.size && parts.push(event.data));
  const finished = new Promise((resolve) => {
    recorder.addEventListener("stop", () => resolve(new Blob(parts, { type: recorder.mimeType || mimeType })));
  });
  recorder.start();
  return {
    mimeType: recorder.mimeType || mimeType,
    stop() {
      if (recorder.state !== "inactive") recorder.stop();
      return finished;
    },
  };
}

/**
 * Records in chunks of `seconds`, each a complete file (a new MediaRecorder per chunk: the pieces
 * of one recorder's timeslice are not decodable on their own). onChunk(blob, sequence) for each.
 */
export class ChunkRecorder {
  constructor(stream, seconds, onChunk) {
    this.stream = stream;
    this.seconds = seconds;
    this.onChunk = onChunk;
    this.sequence = 0;
    this.current = null;
    this.timer = null;
    this.pending = [];
  }

  start() {
    this.next();
    this.timer = setInterval(() => this.next(), this.seconds * 1000);
  }

  next() {
    const previous = this.current;
    this.sequence += 1;
    const sequence = this.sequence;
    this.current = record(this.stream);
    this.current.sequence = sequence;
    if (previous) this.pending.push(previous.stop().then((blob) => this.onChunk(blob, previous.sequence, previous.mimeType)));
  }

  /** Stops recording; resolves once every chunk was handed to onChunk. */
  async stop() {
    clearInterval(this.timer);
    const last = this.current;
    this.current = null;
    if (last) this.pending.push(last.stop().then((blob) => this.onChunk(blob, last.sequence, last.mimeType)));
    await Promise.all(this.pending);
  }
}

/**
 * Float32 frames of the microphone at the audio context's own rate: onFrame(Float32Array).
 * Resolves to {sampleRate, level(), close()}.
 */
export async function pcmFrames(stream, onFrame) {
  const context = new AudioContext();
  await context.audioWorklet.addModule(new URL("../pcm-worklet.js", import.meta.url));
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, "pcm-frames");
  node.port.onmessage = (event) => onFrame(event.data);
  source.connect(node);
  // Not to the speakers: connected to a silent gain so the graph keeps pulling samples.
  const mute = context.createGain();
  mute.gain.value = 0;
  node.connect(mute).connect(context.destination);
  return {
    sampleRate: context.sampleRate,
    close() {
      source.disconnect();
      node.disconnect();
      return context.close();
    },
  };
}
