// The chat page: the same flow as Pitaya's demo page (room.join, then room.message notifies),
// through the pitaya-ts browser client.
(function () {
  'use strict';
  var settings = window.CHAT_SETTINGS || {};
  // In cluster mode the room lives on another server type: routes get its prefix (room.room.join).
  var prefix = settings.routePrefix || '';
  var list = document.getElementById('messages');
  var status = document.getElementById('status');
  var nickname = document.getElementById('nickname');
  var content = document.getElementById('content');
  var send = document.getElementById('send');
  nickname.value = 'guest' + String(Date.now()).slice(-5);

  function show(name, text, system) {
    var item = document.createElement('li');
    if (system) item.className = 'system';
    var who = document.createElement('span');
    who.className = 'name';
    who.textContent = '[' + name + ']';
    item.appendChild(who);
    item.appendChild(document.createTextNode(text));
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  function setStatus(text, kind) {
    status.textContent = text;
    status.className = 'status ' + kind;
  }

  var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.hostname + ':' + (settings.wsPort || 3250) + '/pitaya';
  PitayaClient.PitayaClient.connect(url).then(function (client) {
    setStatus('online', 'online');
    client.on('onMembers', function (data) { show('system', 'members: ' + data.members.join(', '), true); });
    client.on('onNewUser', function (data) { show('system', data.content, true); });
    client.on('onMessage', function (msg) { show(msg.name, msg.content, false); });
    client.onClose(function () {
      setStatus('offline', 'offline');
      content.disabled = true;
      send.disabled = true;
    });
    return client.request(prefix + 'room.join', {}).then(function (reply) {
      if (reply.code !== 0) throw new Error('join refused: ' + JSON.stringify(reply));
      show('system', reply.result, true);
      content.disabled = false;
      send.disabled = false;
      content.focus();
      document.getElementById('composer').addEventListener('submit', function (event) {
        event.preventDefault();
        if (!content.value) return;
        client.notify(prefix + 'room.message', { name: nickname.value || 'guest', content: content.value });
        content.value = '';
      });
    });
  }).catch(function (error) {
    setStatus('offline', 'offline');
    show('system', 'cannot connect: ' + error.message, true);
  });
})();
