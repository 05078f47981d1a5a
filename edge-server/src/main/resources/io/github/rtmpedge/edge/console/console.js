// The live console: polls the edge's own API (same origin) and plays a stream over HTTP-FLV with
// mpegts.js, which the build packs beside this file. No library is fetched at run time.
'use strict';

const POLL_MS = 2000;
const HISTORY = 150; // samples per stream: 5 minutes at POLL_MS
const history = new Map(); // stream id -> [{in, out}] in kbps
let flv = null; // {port, prefix} of the HTTP-FLV listener, from the summaries
let player = null;

async function json(path) {
  const response = await fetch(path, {cache: 'no-store'});
  if (!response.ok) throw new Error(path + ' answered ' + response.status);
  return response.json();
}

function text(tag, value, className) {
  const el = document.createElement(tag);
  el.textContent = value == null ? '' : String(value);
  if (className) el.className = className;
  return el;
}

function codec(video, audio) {
  const v = video ? [video.codec, video.profile, video.width && video.width + 'x' + video.height].filter(Boolean).join(' ') : '-';
  const a = audio ? [audio.codec, audio.sample_rate && audio.sample_rate + ' Hz', audio.channel && audio.channel + ' ch'].filter(Boolean).join(' ') : '-';
  return [v, a];
}

function sparkline(samples) {
  const canvas = document.createElement('canvas');
  canvas.width = 200;
  canvas.height = 36;
  const ctx = canvas.getContext('2d');
  const max = Math.max(1, ...samples.map(s => Math.max(s.in, s.out)));
  const x = i => (canvas.width - 1) * i / Math.max(1, HISTORY - 1);
  const y = v => canvas.height - 2 - (canvas.height - 4) * v / max;
  for (const [key, colour] of [['in', '#1565c0'], ['out', '#2e7d32']]) {
    ctx.strokeStyle = colour;
    ctx.beginPath();
    samples.forEach((s, i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, x(i + HISTORY - samples.length), y(s[key])));
    ctx.stroke();
  }
  canvas.title = 'in (blue) and out (green), up to ' + max + ' kbps';
  return canvas;
}

function renderStreams(streams) {
  const body = document.querySelector('#streams tbody');
  body.replaceChildren();
  document.getElementById('no-streams').hidden = streams.length > 0;
  for (const s of streams) {
    const samples = history.get(s.id) || [];
    samples.push({in: s.kbps.recv_30s, out: s.kbps.send_30s});
    while (samples.length > HISTORY) samples.shift();
    history.set(s.id, samples);
    const [video, audio] = codec(s.video, s.audio);
    const row = document.createElement('tr');
    row.dataset.stream = s.app + '/' + s.name;
    row.append(
      text('td', s.app + '/' + s.name),
      text('td', s.source + (s.origin ? ' ' + s.origin : '')),
      text('td', s.players, 'num'),
      text('td', s.kbps.recv_30s, 'num'),
      text('td', s.kbps.send_30s, 'num'),
      text('td', video),
      text('td', audio));
    const chart = document.createElement('td');
    chart.append(sparkline(samples));
    const action = document.createElement('td');
    const button = text('button', 'play');
    button.addEventListener('click', () => play(s.app, s.name));
    action.append(button);
    row.append(chart, action);
    body.append(row);
  }
  for (const id of [...history.keys()]) {
    if (!streams.some(s => s.id === id)) history.delete(id);
  }
}

function renderOrigins(origins, streams) {
  const body = document.querySelector('#origins tbody');
  body.replaceChildren();
  document.getElementById('no-origins').hidden = origins.length > 0;
  document.getElementById('origins').hidden = origins.length === 0;
  for (const origin of origins) {
    const pulling = streams.filter(s => s.source === 'upstream_pull' && s.origin === origin).length;
    const row = document.createElement('tr');
    row.append(text('td', origin), text('td', pulling ? 'pulling ' + pulling + ' stream(s)' : 'idle'));
    body.append(row);
  }
}

function renderSummary(data, server) {
  document.getElementById('server').textContent =
    'version ' + data.version + ', ' + data.mode + ' mode, server ' + server + ', ' +
    data.connections.players + ' RTMP and ' + data.connections.flv_players + ' HTTP-FLV players';
  const phase = document.getElementById('phase');
  phase.textContent = data.phase;
  phase.className = 'badge' + (data.phase === 'running' ? '' : ' draining');
  flv = data.http_flv;
}

function play(app, name) {
  const status = document.getElementById('player-status');
  if (!flv) {
    status.textContent = 'HTTP-FLV is off on this edge (http_server.enabled).';
    return;
  }
  if (!mpegts.getFeatureList().mseLivePlayback) {
    status.textContent = 'This browser cannot play live FLV (no Media Source Extensions).';
    return;
  }
  if (player) {
    player.destroy();
  }
  const url = location.protocol + '//' + location.hostname + ':' + flv.port + flv.prefix + app + '/' + name + '.flv';
  const video = document.getElementById('video');
  player = mpegts.createPlayer({type: 'flv', isLive: true, url: url},
    {enableStashBuffer: false, liveBufferLatencyChasing: true});
  player.attachMediaElement(video);
  player.on(mpegts.Events.ERROR, (type, detail) => { status.textContent = 'error: ' + type + ' ' + detail; });
  player.load();
  video.muted = true;
  Promise.resolve(player.play()).catch(e => { status.textContent = 'play: ' + e; });
  document.getElementById('playing').textContent = app + '/' + name;
  status.textContent = url;
}

async function poll() {
  try {
    const [summaries, streams] = await Promise.all([json('/api/v1/summaries'), json('/api/v1/streams?count=1000')]);
    renderSummary(summaries.data, summaries.server);
    renderStreams(streams.streams);
    renderOrigins(summaries.data.origins, streams.streams);
  } catch (e) {
    document.getElementById('phase').textContent = 'unreachable';
  }
  setTimeout(poll, POLL_MS);
}

poll();
