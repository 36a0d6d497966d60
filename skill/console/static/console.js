// Leg Twitch Guide test console: talks to the console's JSON API; records 16 kHz WAV in the page.
"use strict";

const API = document.body.dataset.api;          // the console's base URL ("/" or "/console/")
const SESSION_KEY = "legtwitch-console-session"; // per tab: sessionStorage
const RATE = 16000;                              // what the recogniser reads
const MAX_RECORD_SECONDS = 15;
const $ = (id) => document.getElementById(id);
let voice = {play: "checking…", speak: "checking…"};

function session() { return sessionStorage.getItem(SESSION_KEY); }
function keep(id) { if (id) sessionStorage.setItem(SESSION_KEY, id); }

function say(message, error = false) {
  const status = $("status");
  status.textContent = message || "";
  status.classList.toggle("error", error);
}

async function call(path, options = {}) {
  const response = await fetch(API + path, options);
  const type = response.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await response.json() : null;
  if (!response.ok) throw new Error((body && body.error) || `${response.status} ${response.statusText}`);
  return body;
}

function locale() { return $("locale").value; }

function post(path, data) {
  return call(path, {method: "POST", headers: {"Content-Type": "application/json"},
                     body: JSON.stringify({session: session(), locale: locale(), ...data})});
}

// Conversation -------------------------------------------------------------------------------

function bubble(kind) {
  const item = $(`bubble-${kind}`).content.firstElementChild.cloneNode(true);
  $("log").append(item);
  return item;
}

function showUser(text, heard) {
  const item = bubble("user");
  item.querySelector(".text").textContent = heard ? `(heard) ${text}` : text;
}

function showTurn(turn) {
  keep(turn.session);
  if (turn.new_session && $("log").children.length > 1) {
    say("The earlier session had expired: this is a new one.");
  }
  const item = bubble("alexa");
  item.dataset.turn = turn.turn;
  item.querySelector(".text").textContent = turn.speech || "(says nothing)";
  item.querySelector(".reprompt").textContent = turn.reprompt ? `If you say nothing: ${turn.reprompt}` : "";
  if (turn.card) {
    const card = item.querySelector(".card");
    card.hidden = false;
    card.querySelector(".card-title").textContent = turn.card.title;
    card.querySelector(".card-text").textContent = turn.card.text;
    showScreen(turn.card);
  }
  const meta = [];
  if (turn.intent) meta.push(`intent ${turn.intent}`);
  if (turn.topic) meta.push(`topic ${turn.topic}`);
  if (turn.fallback) meta.push(`could not answer: ${turn.fallback}`);
  if (turn.end_session) meta.push("session ended");
  item.querySelector(".meta").textContent = meta.join(" · ");
  item.querySelector(".request pre").textContent = JSON.stringify(turn.request, null, 2);
  item.querySelector(".response pre").textContent = JSON.stringify(turn.response, null, 2);
  const play = item.querySelector(".play");
  play.addEventListener("click", () => playTurn(item, turn));
  setPlayable(play);
  if (!turn.speech) play.hidden = true;
  if (turn.end_session) {
    const ended = document.createElement("li");
    ended.className = "ended";
    ended.textContent = "(session ended: the next question opens a new one)";
    $("log").append(ended);
  }
  item.scrollIntoView({block: "nearest"});
}

function showScreen(card) {
  const box = $("screen-card");
  box.replaceChildren();
  const title = document.createElement("h4");
  title.textContent = card.title;
  const text = document.createElement("p");
  text.textContent = card.text;
  box.append(title, text);
}

function setPlayable(button) {
  button.disabled = Boolean(voice.play);
  button.title = voice.play ? `Cannot play: ${voice.play}` : "Hear the answer (eSpeak NG)";
  if (voice.play) button.setAttribute("aria-description", voice.play);
}

async function playTurn(item, turn) {
  const player = item.querySelector(".player");
  try {
    say("Synthesising the answer…");
    const response = await fetch(`${API}api/speech?session=${encodeURIComponent(session())}&turn=${turn.turn}`);
    if (!response.ok) throw new Error((await response.json()).error);
    player.src = URL.createObjectURL(await response.blob());
    player.hidden = false;
    say("");
    await player.play().catch(() => say("Press play on the player to hear it."));
  } catch (error) {
    say(`Cannot play: ${error.message}`, true);
  }
}

async function ask(text) {
  showUser(text, false);
  try {
    showTurn(await post("api/say", {text}));
    say("");
  } catch (error) {
    say(error.message, true);
  }
}

// Speech in: WebAudio samples, down to 16 kHz mono, as a 16-bit PCM WAV ---------------------

let recording = null;

async function startRecording() {
  const stream = await navigator.mediaDevices.getUserMedia(
    {audio: {channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false}});
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const node = context.createScriptProcessor(4096, 1, 1);
  const chunks = [];
  node.onaudioprocess = (event) => chunks.push(new Float32Array(event.inputBuffer.getChannelData(0)));
  source.connect(node);
  node.connect(context.destination);
  const timer = setTimeout(stopRecording, MAX_RECORD_SECONDS * 1000);
  recording = {stream, context, source, node, chunks, timer};
}

async function stopRecording() {
  if (!recording) return null;
  const {stream, context, source, node, chunks, timer} = recording;
  recording = null;
  clearTimeout(timer);
  source.disconnect();
  node.disconnect();
  stream.getTracks().forEach((track) => track.stop());
  const rate = context.sampleRate;
  await context.close();
  return wav(chunks, rate);
}

function wav(chunks, rate) {
  const length = chunks.reduce((n, c) => n + c.length, 0);
  const samples = new Float32Array(length);
  let at = 0;
  for (const chunk of chunks) { samples.set(chunk, at); at += chunk.length; }
  const step = rate / RATE;
  const count = Math.floor(length / step);
  const data = new DataView(new ArrayBuffer(44 + count * 2));
  const text = (offset, s) => [...s].forEach((c, i) => data.setUint8(offset + i, c.charCodeAt(0)));
  text(0, "RIFF"); data.setUint32(4, 36 + count * 2, true); text(8, "WAVE");
  text(12, "fmt "); data.setUint32(16, 16, true); data.setUint16(20, 1, true); data.setUint16(22, 1, true);
  data.setUint32(24, RATE, true); data.setUint32(28, RATE * 2, true);
  data.setUint16(32, 2, true); data.setUint16(34, 16, true);
  text(36, "data"); data.setUint32(40, count * 2, true);
  for (let i = 0; i < count; i++) {          // average the samples each output sample covers
    const from = Math.floor(i * step), to = Math.max(from + 1, Math.floor((i + 1) * step));
    let sum = 0;
    for (let j = from; j < to; j++) sum += samples[j];
    const s = Math.max(-1, Math.min(1, sum / (to - from)));
    data.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return new Blob([data.buffer], {type: "audio/wav"});
}

async function sendRecording(blob, label) {
  say(`Recognising ${label}…`);
  try {
    const turn = await call(`api/listen?session=${encodeURIComponent(session() || "")}&locale=${encodeURIComponent(locale())}`,
                            {method: "POST", headers: {"Content-Type": "audio/wav"}, body: blob});
    showUser(turn.utterance, true);
    showTurn(turn);
    say("");
  } catch (error) {
    say(error.message, true);
  }
}

async function toggleSpeaking() {
  const button = $("speak");
  if (!recording) {
    try {
      await startRecording();
    } catch (error) {
      say(`Cannot record: ${error.message}`, true);
      return;
    }
    button.setAttribute("aria-pressed", "true");
    button.textContent = "Stop and send";
    say("Recording… press “Stop and send” when you have asked.");
    return;
  }
  button.setAttribute("aria-pressed", "false");
  button.textContent = "Speak";
  await sendRecording(await stopRecording(), "what you said");
}

// Review mode ----------------------------------------------------------------------------------

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function answerBlock(heading, answer) {
  const block = element("div");
  block.append(element("h4", heading));
  const para = element("p");
  for (const sentence of answer.sentences) {
    const span = element("span", sentence.text + " ", sentence.advice ? "advice" : "");
    span.title = sentence.advice ? "The skill's own safety advice (no source)"
                                 : `Source: ${sentence.sources.join("; ")}`;
    para.append(span);
  }
  block.append(para);
  return block;
}

async function loadTopics() {
  const box = $("topics");
  if (box.dataset.loaded) return;
  const {topics} = await call("api/topics");
  box.replaceChildren(element("h3", `Topics (${topics.length})`));
  for (const topic of topics) {
    const article = element("article", undefined, "topic");
    article.id = `topic-${topic.id}`;
    const title = element("h3", `${topic.title} `);
    title.append(element("code", topic.id));
    article.append(title, answerBlock("Short answer", topic.short), answerBlock("Longer answer (tell me more)", topic.more));
    article.append(element("h4", "Sources"));
    const sources = element("ul");
    for (const s of [...new Set([...topic.short.sources, ...topic.more.sources])]) sources.append(element("li", s));
    article.append(sources);
    const advice = topic.short.sentences.concat(topic.more.sentences).some((s) => s.advice);
    if (advice) article.append(element("p", "Marked with a red bar: the skill's own safety advice, not from the articles.", "note"));
    article.append(element("h4", "Follow-up"));
    const chain = [topic.title, ...topic.chain.map((t) => t.title)].join(" → ");
    article.append(element("p", `“${topic.offer.question}” Saying yes each time: ${chain}`));
    article.append(element("h4", "Ask a sample question"));
    const samples = element("div", undefined, "samples");
    for (const question of topic.samples) {
      const button = element("button", question, "secondary sample");
      button.type = "button";
      button.addEventListener("click", () => { show("test"); ask(question); });
      samples.append(button);
    }
    article.append(samples);
    box.append(article);
  }
  box.dataset.loaded = "yes";
}

async function loadFallbacks() {
  const {fallbacks} = await call("api/fallbacks");
  const rows = fallbacks.map((f) => {
    const row = element("tr");
    for (const value of [f.time, f.heard, f.intent, f.reason]) row.append(element("td", value));
    return row;
  });
  $("fallback-table").tBodies[0].replaceChildren(...rows);
  $("fallback-table").hidden = rows.length === 0;
  $("fallback-empty").hidden = rows.length > 0;
}

function show(view) {
  for (const name of ["test", "review"]) {
    $(name).hidden = name !== view;
    $(`show-${name}`).setAttribute("aria-pressed", String(name === view));
  }
  if (view === "review") {
    Promise.all([loadTopics(), loadFallbacks()]).catch((error) => say(error.message, true));
  } else {
    $("utterance").focus();
  }
}

// Wiring ----------------------------------------------------------------------------------------

async function start() {
  $("ask").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("utterance").value.trim();
    if (!text) return;
    $("utterance").value = "";
    ask(text);
  });
  $("launch").addEventListener("click", async () => {
    showUser("open leg twitch guide", false);
    try { showTurn(await post("api/launch", {})); } catch (error) { say(error.message, true); }
  });
  const newSession = async () => {
    try {
      const {session: id} = await post("api/session", {});
      keep(id);
      $("log").replaceChildren();
      $("screen-card").replaceChildren(element("p", "No card yet.", "note"));
      say(`New session, in ${locale()}.`);
    } catch (error) { say(error.message, true); }
  };
  $("new-session").addEventListener("click", newSession);
  $("locale").addEventListener("change", newSession);
  $("device").addEventListener("change", () => { $("screen").hidden = $("device").value !== "screen"; });
  $("speak").addEventListener("click", toggleSpeaking);
  $("upload").addEventListener("change", () => {
    const file = $("upload").files[0];
    if (file) sendRecording(file, file.name);
    $("upload").value = "";
  });
  $("show-test").addEventListener("click", () => show("test"));
  $("show-review").addEventListener("click", () => show("review"));
  $("fallback-refresh").addEventListener("click", () => loadFallbacks().catch((e) => say(e.message, true)));
  try {
    voice = await call("api/status");
  } catch (error) {
    voice = {play: error.message, speak: error.message};
  }
  for (const button of document.querySelectorAll(".play")) setPlayable(button);
  for (const control of [$("speak"), $("upload")]) control.disabled = Boolean(voice.speak);
  if (voice.speak) $("speak-note").textContent = `Speaking is off: ${voice.speak}`;
  document.body.dataset.ready = "yes";
}

start();
