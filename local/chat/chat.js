// A small chat client for `npm run dev`: signs in by OTP over the HTTP API, keeps the tokens
// in sessionStorage (a reload stays signed in), lists conversations, and talks to the local
// WebSocket gateway (sendMessage, typing, markRead). Plain JS, no build.
const $ = (id) => document.getElementById(id);
const state = JSON.parse(sessionStorage.getItem('chat') ?? 'null') ?? {};
let socket;
let current;
let typingTimer;

const save = () => sessionStorage.setItem('chat', JSON.stringify(state));

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(state.accessToken ? { authorization: `Bearer ${state.accessToken}` } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const identity = () => {
  const value = $('identifier').value.trim();
  return value.includes('@') ? { email: value } : { phone: value };
};

$('request').addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await api('POST', '/auth/otp/request', { ...identity(), role: $('role').value });
  if (res.status === 202) $('verify').classList.remove('hidden');
});

$('verify').addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await api('POST', '/auth/otp/verify', {
    ...identity(),
    role: $('role').value,
    code: $('code').value.trim(),
  });
  if (res.status !== 200) return;
  Object.assign(state, {
    accessToken: res.body.accessToken,
    role: res.body.principal.role,
    id: res.body.principal.id,
  });
  save();
  start();
});

function connect() {
  socket = new WebSocket(`${state.wsUrl}?token=${encodeURIComponent(state.accessToken)}`);
  socket.addEventListener('open', () => {
    document.body.dataset.socket = 'open';
  });
  socket.addEventListener('message', (e) => {
    const frame = JSON.parse(e.data);
    if (
      (frame.type === 'message' || frame.type === 'ack') &&
      frame.message.conversationId === current
    ) {
      show(frame.message);
      if (frame.type === 'message')
        socket.send(JSON.stringify({ action: 'markRead', conversationId: current }));
    }
    if (frame.type === 'message' && frame.message.conversationId !== current) void threads();
    if (frame.type === 'typing' && frame.conversationId === current) {
      $('status').textContent = `${frame.role === 'host' ? 'Host' : 'Guest'} is typing…`;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => ($('status').textContent = ''), 3000);
    }
    if (frame.type === 'read' && frame.conversationId === current) {
      $('status').textContent = `Read by the ${frame.role === 'host' ? 'host' : 'guest'}`;
    }
  });
  socket.addEventListener('close', () => {
    document.body.dataset.socket = 'closed';
  });
}

function show(message) {
  if (document.querySelector(`[data-id="${message.id}"]`)) return;
  const li = document.createElement('li');
  li.dataset.id = message.id;
  li.className = message.senderRole === state.role ? 'mine' : 'theirs';
  li.textContent = message.body;
  $('messages').append(li);
  li.scrollIntoView();
}

async function threads() {
  const res = await api('GET', '/conversations');
  const list = $('threads');
  list.replaceChildren();
  for (const c of res.body?.conversations ?? []) {
    const li = document.createElement('li');
    li.dataset.id = c.id;
    li.textContent = `${c.otherParty?.name ?? c.listing?.title ?? 'Conversation'}${c.unreadCount ? ` (${c.unreadCount})` : ''}`;
    li.addEventListener('click', () => open(c.id));
    if (c.id === current) li.className = 'active';
    list.append(li);
  }
  if (!current && res.body?.conversations?.[0]) await open(res.body.conversations[0].id);
}

async function open(id) {
  current = id;
  const res = await api('GET', `/conversations/${id}/messages?limit=50`);
  $('messages').replaceChildren();
  for (const m of [...(res.body?.messages ?? [])].reverse()) show(m);
  if (socket?.readyState === WebSocket.OPEN)
    socket.send(JSON.stringify({ action: 'markRead', conversationId: id }));
  for (const li of $('threads').children) li.className = li.dataset.id === id ? 'active' : '';
}

$('compose').addEventListener('submit', (e) => {
  e.preventDefault();
  const body = $('text').value.trim();
  if (!body || !current) return;
  socket.send(
    JSON.stringify({
      action: 'sendMessage',
      conversationId: current,
      body,
      clientId: crypto.randomUUID(),
    }),
  );
  $('text').value = '';
});

$('text').addEventListener('input', () => {
  if (current && socket?.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({ action: 'typing', conversationId: current }));
  }
});

async function start() {
  $('signin').classList.add('hidden');
  $('chat').classList.remove('hidden');
  $('who').textContent = `(${state.role})`;
  state.wsUrl ??= (await (await fetch('/chat/config.json')).json()).wsUrl;
  save();
  connect();
  await threads();
}

if (state.accessToken) void start();
