/*
 * pitaya-ts bench: native load generator (scenario A echo, closed and open loop; scenario B broadcast).
 *
 * Why it exists: the Node generator spends ~18 us of its core per request, so on a 2-core machine
 * it saturates before the server does and every echo ratio measures the generator (issue 14). This
 * one does the same jobs with one epoll loop, a pre-built request per connection whose id is patched
 * in place, pushes scanned in place, and no allocation after connecting: the server is the bottleneck.
 *
 * It knows little of Pitaya's encoding: the packet header, the message flag, an uncompressed route,
 * the response id. The orchestrator hands it the handshake packet and the echo request (hex), both
 * built with @pitaya-ts/protocol, and the routes of the broadcast.
 *
 * Usage:
 *   loadgen echo <ws|tcp> <host> <port> <clients> <connect-concurrency> <connect-timeout-ms>
 *                <warmup-ms> <measure-ms> <drain-ms> <handshake-hex> <request-hex> [<rate/s> <max-outstanding>]
 *   loadgen broadcast <ws|tcp> <host:port[,host:port...]> <rooms> <room-size> <senders-per-room>
 *                <closed|rate> <rate-per-sender> <in-flight-per-room> <connect-concurrency> <connect-timeout-ms>
 *                <warmup-ms> <measure-ms> <drain-ms> <handshake-hex> <join-route> <send-route> <push-route>
 *                <payload-bytes> <pad>
 * Echo with a rate runs the open loop (the k-th request of the run is due at start + k/rate and goes
 * to client k mod N; latency from the intended time), without it the closed loop (one request in
 * flight per client). Broadcast is scenario B (broadcast.ts): members join their room, the last
 * ones of each room send {ts, room, pad}, every member receives it; closed mode keeps a window of
 * messages in flight per room, each released by its sender's own copy; rate mode paces the sends.
 * Lines on stdout: "connected <n> <failures> <first error>", "measure-start", "measure-end", then
 * one "result {json}". Exit status 0 on a result, 2 on bad arguments.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define READ_CAP (64 * 1024)
#define FIRST_ID 0x200000u
#define LAST_ID 0x0fffffffu
#define ID_OFFSET 5 /* packet header (4) + message flag (1) */

enum state { S_IDLE, S_CONNECTING, S_UPGRADING, S_HANDSHAKING, S_OPEN, S_CLOSED };

struct slot { uint32_t id; double at; };

struct conn {
  int fd;
  enum state st;
  double deadline;     /* connect + handshake deadline (ms) */
  uint32_t id;         /* last id sent */
  int waiting;         /* closed loop: a request in flight */
  double sent_at;
  unsigned char *in;   /* read buffer (partial frames/packets carried over) */
  size_t in_len;
  unsigned char *out;  /* bytes the kernel did not take yet */
  size_t out_len, out_cap;
  unsigned char *req;  /* this connection's request bytes, id patched per request */
  struct slot *pending; /* open loop: id -> intended time, open addressing by id */
  unsigned npending;
  int ep;              /* endpoint index */
  /* broadcast */
  int room;            /* room index */
  int sender;          /* 1 = one of its room's senders */
  int sent;            /* 1 = it sent at least one message */
  long long *mine;     /* several senders per room: timestamps of this sender's messages in flight */
  unsigned nmine;
};

#define MAX_ENDPOINTS 16

static int ws;                 /* 1 = WebSocket, 0 = TCP */
static int broadcast;          /* 1 = scenario B, 0 = echo */
static struct sockaddr_in addrs[MAX_ENDPOINTS];
static char host_headers[MAX_ENDPOINTS][64];
static int nendpoints;
static unsigned char *hs_wire, *ack_wire, *req_wire;
static void poll_once(double timeout_ms);
static size_t hs_len, ack_len, req_len, id_at;
static int nconn, epfd;
static struct conn *conns;
static double rate; static unsigned max_out, slot_mask;
static int open_loop;

enum phase { WARMUP, MEASURE, STOP };
static enum phase phase = WARMUP;
static int closing;
static long long completed, answered_total, errors, lost, disconnects, intended, shed, in_flight, window_pending;
static double measure_start, measure_end;

/* Latency histogram (us): exact below 2048, then 1024 sub-buckets per power of two (~0.1 %),
 * like an HDR histogram at 3 significant digits; sent whole to the orchestrator, which records it
 * into its own HDR histogram. */
#define SUB 1024
#define HBUCKETS (2048 + 40 * SUB)
static long long hist[HBUCKETS];

static void record(double ms) {
  long long v = (long long)(ms * 1000.0 + 0.5);
  if (v < 1) v = 1;
  if (v > 60000000) v = 60000000;
  size_t idx;
  if (v < 2048) idx = (size_t)v;
  else {
    int e = 63 - __builtin_clzll((unsigned long long)v) - 10;
    idx = 2048 + (size_t)(e - 1) * SUB + (size_t)((v >> e) - SUB);
  }
  hist[idx]++;
}

static long long bucket_value(size_t idx) {
  if (idx < 2048) return (long long)idx;
  size_t e = (idx - 2048) / SUB + 1;
  return (long long)(((idx - 2048) % SUB) + SUB) << e;
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static double cpu_ms(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

static unsigned char *from_hex(const char *s, size_t *len) {
  size_t n = strlen(s) / 2;
  unsigned char *b = malloc(n ? n : 1);
  for (size_t i = 0; i < n; i++) {
    unsigned v;
    if (sscanf(s + 2 * i, "%2x", &v) != 1) { free(b); return NULL; }
    b[i] = (unsigned char)v;
  }
  *len = n;
  return b;
}

/* A client frame around `p` (WebSocket, all-zero masking key: legal per RFC 6455 5.3, and the
 * payload stays as is) or `p` itself (TCP). `*payload_at` = where the packet starts in the frame. */
static unsigned char *wire_of(const unsigned char *p, size_t n, size_t *out_len, size_t *payload_at) {
  size_t head = ws ? (n < 126 ? 6 : n < 65536 ? 8 : 14) : 0;
  unsigned char *f = malloc(head + n + 1);
  if (ws) {
    f[0] = 0x82;
    if (n < 126) f[1] = (unsigned char)(0x80 | n);
    else if (n < 65536) { f[1] = 0x80 | 126; f[2] = (unsigned char)(n >> 8); f[3] = (unsigned char)n; }
    else { f[1] = 0x80 | 127; for (int i = 0; i < 8; i++) f[2 + i] = (unsigned char)((unsigned long long)n >> (56 - 8 * i)); }
    memset(f + head - 4, 0, 4);
  }
  memcpy(f + head, p, n);
  *out_len = head + n;
  *payload_at = head;
  return f;
}

static void patch_id(unsigned char *b, uint32_t id) {
  b[id_at] = (unsigned char)((id & 0x7f) | 0x80);
  b[id_at + 1] = (unsigned char)(((id >> 7) & 0x7f) | 0x80);
  b[id_at + 2] = (unsigned char)(((id >> 14) & 0x7f) | 0x80);
  b[id_at + 3] = (unsigned char)((id >> 21) & 0x7f);
}

static uint32_t next_id(uint32_t id) { return id >= LAST_ID ? FIRST_ID : id + 1; }

static void set_events(struct conn *c, uint32_t ev) {
  struct epoll_event e = { .events = ev, .data.ptr = c };
  epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &e);
}

static void conn_close(struct conn *c);

/* Writes now what the kernel takes, keeps the rest (and asks for EPOLLOUT) in order. */
static void send_bytes(struct conn *c, const unsigned char *b, size_t n) {
  if (c->st == S_CLOSED) return;
  if (c->out_len == 0) {
    ssize_t w = write(c->fd, b, n);
    if (w == (ssize_t)n) return;
    if (w < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK) { conn_close(c); return; }
      w = 0;
    }
    b += w; n -= (size_t)w;
    set_events(c, EPOLLIN | EPOLLOUT);
  }
  if (c->out_len + n > c->out_cap) {
    size_t cap = c->out_cap ? c->out_cap : 4096;
    while (cap < c->out_len + n) cap *= 2;
    if (cap > 64u * 1024 * 1024) { conn_close(c); return; }
    c->out = realloc(c->out, cap);
    c->out_cap = cap;
  }
  memcpy(c->out + c->out_len, b, n);
  c->out_len += n;
}

static void flush_out(struct conn *c) {
  if (c->out_len == 0) return;
  ssize_t w = write(c->fd, c->out, c->out_len);
  if (w < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) conn_close(c);
    return;
  }
  memmove(c->out, c->out + w, c->out_len - (size_t)w);
  c->out_len -= (size_t)w;
  if (c->out_len == 0) set_events(c, EPOLLIN);
}

static void fire_closed(struct conn *c) {
  c->id = next_id(c->id);
  c->sent_at = now_ms();
  c->waiting = 1;
  in_flight++;
  patch_id(c->req, c->id);
  send_bytes(c, c->req, req_len);
}

static int in_window(double t) { return t >= measure_start && t < measure_end; }

static void on_response(struct conn *c, uint32_t id, int error) {
  if (!open_loop) {
    if (!c->waiting || id != c->id) return;
    c->waiting = 0;
    in_flight--;
    answered_total++;
    if (phase == MEASURE) {
      record(now_ms() - c->sent_at);
      completed++;
      if (error) errors++;
    }
    if (phase != STOP) fire_closed(c);
    return;
  }
  struct slot *s = &c->pending[id & slot_mask];
  if (s->id != id) return;
  s->id = 0;
  c->npending--;
  answered_total++;
  if (!in_window(s->at)) return;
  window_pending--;
  record(now_ms() - s->at);
  completed++;
  if (error) errors++;
}

static void handshake_done(struct conn *c);
static int on_push(struct conn *c, const unsigned char *body, size_t n);
static long long joined;

/* One Pitaya packet (type, body). Returns -1 to close the connection. */
static int on_packet(struct conn *c, unsigned type, const unsigned char *body, size_t n) {
  if (type == 4) { /* data */
    if (n < 1) return -1;
    unsigned kind = (body[0] >> 1) & 7;
    if (kind == 3 && broadcast) return on_push(c, body, n);
    if (kind != 2) return 0; /* not a response: other pushes are ignored */
    uint32_t id = 0; unsigned shift = 0; size_t at = 1;
    for (;;) {
      if (at >= n || shift > 28) return -1;
      unsigned char b = body[at++];
      id |= (uint32_t)(b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    if (broadcast) { if (id == FIRST_ID) joined++; }
    else on_response(c, id, (body[0] & 0x20) != 0);
    return 0;
  }
  if (type == 1) { /* handshake response */
    if (c->st != S_HANDSHAKING) return 0;
    if (!memmem(body, n, "\"code\":200", 10)) return -1;
    send_bytes(c, ack_wire, ack_len);
    handshake_done(c);
    return 0;
  }
  if (type == 5) return -1; /* kick */
  return 0;                 /* heartbeats: every target runs with a long heartbeat */
}

/* Pitaya packets back to back in `b`; returns bytes consumed, or -1 on a bad packet. */
static long parse_packets(struct conn *c, const unsigned char *b, size_t n, int whole) {
  size_t off = 0;
  while (n - off >= 4) {
    size_t len = ((size_t)b[off + 1] << 16) | ((size_t)b[off + 2] << 8) | b[off + 3];
    if (n - off - 4 < len) break;
    if (on_packet(c, b[off], b + off + 4, len) < 0 || c->st == S_CLOSED) return -1;
    off += 4 + len;
  }
  if (whole && off != n) return -1; /* a WebSocket message carries whole packets */
  return (long)off;
}

/* Server WebSocket frames (unmasked, unfragmented in practice); returns bytes consumed or -1. */
static long parse_frames(struct conn *c, const unsigned char *b, size_t n) {
  size_t off = 0;
  while (n - off >= 2) {
    unsigned op = b[off] & 0x0f;
    int masked = (b[off + 1] & 0x80) != 0;
    size_t len = b[off + 1] & 0x7f, head = 2;
    if (len == 126) {
      if (n - off < 4) break;
      len = ((size_t)b[off + 2] << 8) | b[off + 3];
      head = 4;
    } else if (len == 127) {
      if (n - off < 10) break;
      len = 0;
      for (int i = 0; i < 8; i++) len = (len << 8) | b[off + 2 + i];
      head = 10;
    }
    if (masked) head += 4;
    if (len > READ_CAP) return -1;
    if (n - off < head + len) break;
    unsigned char *p = (unsigned char *)b + off + head;
    if (masked) for (size_t i = 0; i < len; i++) p[i] ^= b[off + head - 4 + (i & 3)];
    if (op == 2 || op == 1 || op == 0) {
      if (parse_packets(c, p, len, 1) < 0) return -1;
    } else if (op == 8) {
      return -1;
    } else if (op == 9) { /* ping: answer a pong with the same payload */
      unsigned char pong[2 + 4 + 125];
      if (len > 125) return -1;
      pong[0] = 0x8a; pong[1] = (unsigned char)(0x80 | len); memset(pong + 2, 0, 4); memcpy(pong + 6, p, len);
      send_bytes(c, pong, 6 + len);
    }
    if (c->st == S_CLOSED) return -1;
    off += head + len;
  }
  return (long)off;
}

static int connecting_now, next_to_open, connected_count, failures;
static int conn_concurrency;
static double connect_timeout;
static char first_error[160];

static void fail(struct conn *c, const char *why) {
  if (!first_error[0]) snprintf(first_error, sizeof first_error, "%s", why);
  failures++;
  connecting_now--;
  c->st = S_CLOSED;
  if (c->fd >= 0) close(c->fd);
  c->fd = -1;
}

static void conn_close(struct conn *c) {
  if (c->st == S_CLOSED) return;
  if (c->st != S_OPEN) { fail(c, "connection closed during the handshake"); return; }
  c->st = S_CLOSED;
  epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  c->fd = -1;
  if (phase != STOP) disconnects++;
  if (!open_loop && c->waiting && !closing) { c->waiting = 0; in_flight--; lost++; }
}

static void handshake_done(struct conn *c) {
  c->st = S_OPEN;
  connecting_now--;
  connected_count++;
}

static void start_connect(struct conn *c) {
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0) { connecting_now++; fail(c, strerror(errno)); return; }
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  connecting_now++;
  c->st = S_CONNECTING;
  c->deadline = now_ms() + connect_timeout;
  if (connect(c->fd, (struct sockaddr *)&addrs[c->ep], sizeof addrs[c->ep]) < 0 && errno != EINPROGRESS) { fail(c, strerror(errno)); return; }
  struct epoll_event e = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };
  epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &e);
}

static void on_connected(struct conn *c) {
  int err = 0; socklen_t l = sizeof err;
  getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
  if (err) { epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL); fail(c, strerror(err)); return; }
  set_events(c, EPOLLIN);
  if (ws) {
    char req[512];
    int n = snprintf(req, sizeof req,
      "GET / HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", host_headers[c->ep]);
    c->st = S_UPGRADING;
    send_bytes(c, (unsigned char *)req, (size_t)n);
  } else {
    c->st = S_HANDSHAKING;
    send_bytes(c, hs_wire, hs_len);
  }
}

static void on_readable(struct conn *c) {
  for (;;) {
    if (c->st == S_CLOSED) return;
    if (c->in_len >= READ_CAP) { conn_close(c); return; }
    ssize_t r = read(c->fd, c->in + c->in_len, READ_CAP - c->in_len);
    if (r == 0) { conn_close(c); return; }
    if (r < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      conn_close(c);
      return;
    }
    c->in_len += (size_t)r;
    size_t start = 0;
    if (c->st == S_UPGRADING) {
      unsigned char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
      if (!end) continue;
      if (c->in_len < 12 || memcmp(c->in, "HTTP/1.1 101", 12) != 0) { conn_close(c); return; }
      start = (size_t)(end - c->in) + 4;
      c->st = S_HANDSHAKING;
      send_bytes(c, hs_wire, hs_len);
    }
    long used = ws ? parse_frames(c, c->in + start, c->in_len - start) : parse_packets(c, c->in + start, c->in_len - start, 0);
    if (used < 0) { conn_close(c); return; }
    size_t consumed = start + (size_t)used;
    if (consumed < c->in_len) memmove(c->in, c->in + consumed, c->in_len - consumed);
    c->in_len -= consumed;
    /* One read per readiness event: epoll is level-triggered, so what is left is reported again,
     * and the read that would only say EAGAIN is saved. */
    if (c->st != S_UPGRADING) return;
  }
}

static void on_event(struct conn *c, uint32_t ev) {
  if (c->st == S_CONNECTING) {
    if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_connected(c);
    return;
  }
  if (ev & EPOLLOUT) flush_out(c);
  if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(c);
}

static void poll_once(double timeout_ms) {
  struct epoll_event evs[512];
  struct timespec ts;
  if (timeout_ms < 0) timeout_ms = 0;
  ts.tv_sec = (time_t)(timeout_ms / 1000);
  ts.tv_nsec = (long)((timeout_ms - (double)ts.tv_sec * 1000) * 1e6);
  int n = epoll_pwait2(epfd, evs, 512, &ts, NULL);
  for (int i = 0; i < n; i++) on_event(evs[i].data.ptr, evs[i].events);
}

static void line(const char *s) { fputs(s, stdout); fputc('\n', stdout); fflush(stdout); }

static void print_histogram(void) {
  int first = 1;
  for (size_t i = 0; i < HBUCKETS; i++) {
    if (!hist[i]) continue;
    printf("%s[%lld,%lld]", first ? "" : ",", bucket_value(i), hist[i]);
    first = 0;
  }
}

static void wait_ms(double ms) {
  double until = now_ms() + ms;
  while (now_ms() < until) poll_once(until - now_ms());
}

/* Parses "host:port[,host:port...]" into the endpoints. */
static int parse_endpoints(const char *list, int default_port) {
  char buf[1024];
  snprintf(buf, sizeof buf, "%s", list);
  for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    if (nendpoints == MAX_ENDPOINTS) return -1;
    char *colon = strrchr(tok, ':');
    int port = default_port;
    if (colon) { *colon = 0; port = atoi(colon + 1); }
    struct sockaddr_in *a = &addrs[nendpoints];
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    if (port <= 0 || inet_pton(AF_INET, tok, &a->sin_addr) != 1) return -1;
    snprintf(host_headers[nendpoints], sizeof host_headers[nendpoints], "%s:%d", tok, port);
    nendpoints++;
  }
  return nendpoints > 0 ? 0 : -1;
}

/* Opens every client, endpoint i mod E for client i: at most `conn_concurrency` handshakes in
 * flight, each within the timeout, no retry. */
static void connect_all(void) {
  epfd = epoll_create1(EPOLL_CLOEXEC);
  while (next_to_open < nconn || connecting_now > 0) {
    while (next_to_open < nconn && connecting_now < conn_concurrency) start_connect(&conns[next_to_open++]);
    poll_once(10);
    double t = now_ms();
    for (int i = 0; i < nconn; i++) {
      struct conn *c = &conns[i];
      if ((c->st == S_CONNECTING || c->st == S_UPGRADING || c->st == S_HANDSHAKING) && t > c->deadline) {
        epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
        fail(c, "handshake timed out");
      }
    }
  }
  printf("connected %d %d %s\n", connected_count, failures, first_error);
  fflush(stdout);
}

static void alloc_conns(void) {
  conns = calloc((size_t)nconn, sizeof *conns);
  for (int i = 0; i < nconn; i++) {
    struct conn *c = &conns[i];
    c->fd = -1;
    c->in = malloc(READ_CAP);
    c->id = FIRST_ID;
    c->ep = i % nendpoints;
  }
}

static unsigned char *prepare_handshake(const char *hex) {
  size_t raw_len, unused;
  unsigned char *raw = from_hex(hex, &raw_len);
  if (!raw) return NULL;
  hs_wire = wire_of(raw, raw_len, &hs_len, &unused);
  static const unsigned char ack[4] = { 2, 0, 0, 0 };
  ack_wire = wire_of(ack, 4, &ack_len, &unused);
  return hs_wire;
}

static int main_echo(int argc, char **argv) {
  if (argc != 11 && argc != 13) { fprintf(stderr, "usage: see the header of loadgen.c\n"); return 2; }
  ws = strcmp(argv[0], "ws") == 0;
  int port = atoi(argv[2]);
  nconn = atoi(argv[3]);
  conn_concurrency = atoi(argv[4]);
  connect_timeout = atof(argv[5]);
  double warmup = atof(argv[6]), measure = atof(argv[7]), drain = atof(argv[8]);
  size_t raw_req_len, payload_at;
  unsigned char *raw_req = from_hex(argv[10], &raw_req_len);
  if (!prepare_handshake(argv[9]) || !raw_req || raw_req_len < ID_OFFSET + 4 || nconn <= 0 || parse_endpoints(argv[1], port) < 0) {
    fprintf(stderr, "bad arguments\n");
    return 2;
  }
  if (argc == 13) {
    open_loop = 1;
    rate = atof(argv[11]);
    max_out = (unsigned)atoi(argv[12]);
    if (rate <= 0 || max_out == 0) { fprintf(stderr, "bad rate\n"); return 2; }
    unsigned cap = 1;
    while (cap < 2 * max_out) cap <<= 1;
    slot_mask = cap - 1;
  }
  if (conn_concurrency < 1) conn_concurrency = 1;
  req_wire = wire_of(raw_req, raw_req_len, &req_len, &payload_at);
  id_at = payload_at + ID_OFFSET;
  alloc_conns();
  for (int i = 0; i < nconn; i++) {
    conns[i].req = malloc(req_len);
    memcpy(conns[i].req, req_wire, req_len);
    if (open_loop) conns[i].pending = calloc(slot_mask + 1, sizeof *conns[i].pending);
  }
  connect_all();
  if (connected_count == 0) { line("result {\"error\":\"no client could connect\"}"); return 0; }

  /* The open connections, packed for the open loop's round robin. */
  struct conn **live = malloc(sizeof *live * (size_t)connected_count);
  int nlive = 0;
  for (int i = 0; i < nconn; i++) if (conns[i].st == S_OPEN) live[nlive++] = &conns[i];

  double cpu0 = 0, cpu1 = 0, t0 = 0, t1 = 0;
  if (!open_loop) {
    for (int i = 0; i < nlive; i++) fire_closed(live[i]);
    wait_ms(warmup);
    phase = MEASURE;
    t0 = now_ms(); cpu0 = cpu_ms();
    line("measure-start");
    double until = t0 + measure;
    while (now_ms() < until) poll_once(until - now_ms());
    phase = STOP;
    t1 = now_ms(); cpu1 = cpu_ms();
    line("measure-end");
    until = now_ms() + drain;
    while (in_flight > 0 && now_ms() < until) poll_once(until - now_ms());
    lost += in_flight;
  } else {
    double start = now_ms() + 5, interval = 1000.0 / rate;
    measure_start = start + warmup;
    measure_end = measure_start + measure;
    long long k = 0;
    int started = 0;
    for (;;) {
      double t = now_ms();
      if (!started && t >= measure_start) { started = 1; t0 = t; cpu0 = cpu_ms(); line("measure-start"); }
      double due = start + (double)k * interval;
      while (due <= t && due < measure_end) {
        struct conn *c = live[k % nlive];
        int counted = in_window(due);
        if (counted) intended++;
        uint32_t id = next_id(c->id);
        struct slot *s = &c->pending[id & slot_mask];
        if (c->st != S_OPEN || c->npending >= max_out || s->id != 0) {
          if (counted) shed++;
        } else {
          c->id = id;
          s->id = id; s->at = due; c->npending++;
          if (counted) window_pending++;
          patch_id(c->req, id);
          send_bytes(c, c->req, req_len);
        }
        k++;
        due = start + (double)k * interval;
      }
      if (due >= measure_end) break;
      poll_once(due - now_ms());
    }
    t1 = now_ms(); cpu1 = cpu_ms();
    phase = STOP;
    line("measure-end");
    double until = now_ms() + drain;
    while (window_pending > 0 && now_ms() < until) poll_once(until - now_ms());
    /* What is still unanswered is recorded at its current age: the truth is at least that bad. */
    double cutoff = now_ms();
    for (int i = 0; i < nlive; i++)
      for (unsigned j = 0; j <= slot_mask; j++) {
        struct slot *s = &live[i]->pending[j];
        if (s->id != 0 && in_window(s->at)) { record(cutoff - s->at); lost++; }
      }
  }
  closing = 1;
  double window = t1 - t0;
  printf("result {\"connected\":%d,\"connectFailures\":%d,\"disconnects\":%lld,\"windowMs\":%.3f,\"completed\":%lld,"
         "\"intended\":%lld,\"shed\":%lld,\"lost\":%lld,\"errors\":%lld,\"answeredTotal\":%lld,\"generatorCpu\":%.4f,\"histogram\":[",
         connected_count, failures, disconnects, open_loop ? measure : window, completed, intended, shed, lost, errors, answered_total,
         window > 0 ? (cpu1 - cpu0) / window : 0.0);
  print_histogram();
  printf("]}\n");
  fflush(stdout);
  for (int i = 0; i < nconn; i++) if (conns[i].fd >= 0) close(conns[i].fd);
  return 0;
}

/* ---- Scenario B: broadcast ---- */

#define STALL_MS 1000.0
#define JOIN_BATCH 200

struct room {
  struct conn **senders;
  int nsenders, next_sender;
  double last_send_at;
  int in_flight;
};

static struct room *rooms;
static int nrooms, room_size, senders_per_room, closed_mode, in_flight_per_room, payload_bytes;
static double rate_per_sender;
static const char *join_route, *send_route, *push_route, *pad;
static size_t push_route_len;
static long long sends, sent_total, delivered_total, deliveries, stalls, max_in_flight, active_senders;
static unsigned char *scratch; /* one outgoing message, built per send */

/* A client message: Request (id) or Notify, route uncompressed, `data` as is; framed for the transport. */
static size_t build_message(unsigned char *out, int request, const char *route, const char *data, size_t data_len) {
  size_t route_len = strlen(route);
  size_t body = 1 + (request ? 4 : 0) + 1 + route_len + data_len;
  size_t head = ws ? (4 + body < 126 ? 6 : 8) : 0;
  unsigned char *p = out + head;
  p[0] = 4; p[1] = (unsigned char)(body >> 16); p[2] = (unsigned char)(body >> 8); p[3] = (unsigned char)body;
  size_t at = 4;
  p[at++] = request ? 0x00 : 0x02;
  if (request) {
    uint32_t id = FIRST_ID;
    p[at++] = (unsigned char)((id & 0x7f) | 0x80); p[at++] = (unsigned char)(((id >> 7) & 0x7f) | 0x80);
    p[at++] = (unsigned char)(((id >> 14) & 0x7f) | 0x80); p[at++] = (unsigned char)((id >> 21) & 0x7f);
  }
  p[at++] = (unsigned char)route_len;
  memcpy(p + at, route, route_len); at += route_len;
  memcpy(p + at, data, data_len); at += data_len;
  if (ws) {
    out[0] = 0x82;
    if (at < 126) out[1] = (unsigned char)(0x80 | at);
    else { out[1] = 0x80 | 126; out[2] = (unsigned char)(at >> 8); out[3] = (unsigned char)at; }
    memset(out + head - 4, 0, 4);
  }
  return head + at;
}

static void bsend(int r, double intended_ms, struct conn *from) {
  struct room *room = &rooms[r];
  room->last_send_at = now_ms();
  sent_total++;
  if (++room->in_flight > max_in_flight) max_in_flight = room->in_flight;
  if (phase == MEASURE) sends++;
  long long ts = (long long)(intended_ms * 1000.0 + 0.5);
  if (!from) from = room->senders[room->next_sender++ % room->nsenders];
  if (room->nsenders > 1 && from->nmine < (unsigned)in_flight_per_room + 8) from->mine[from->nmine++] = ts;
  if (!from->sent) { from->sent = 1; active_senders++; }
  char data[4096];
  int head = snprintf(data, sizeof data, "{\"ts\":%lld,\"room\":\"room-%d\",\"pad\":\"", ts, r);
  int pad_len = payload_bytes - head - 2;
  if (pad_len < 0) pad_len = 0;
  if ((size_t)pad_len > strlen(pad)) pad_len = (int)strlen(pad);
  if (head + pad_len + 2 >= (int)sizeof data) pad_len = (int)sizeof data - head - 3;
  memcpy(data + head, pad, (size_t)pad_len);
  memcpy(data + head + pad_len, "\"}", 2);
  size_t n = build_message(scratch, 0, send_route, data, (size_t)(head + pad_len + 2));
  send_bytes(from, scratch, n);
}

/* The integer after "ts": (servers may reorder keys), or -1. */
static long long read_ts(const unsigned char *d, size_t n) {
  const unsigned char *k = memmem(d, n, "\"ts\":", 5);
  if (!k) return -1;
  size_t i = (size_t)(k - d) + 5;
  long long v = 0;
  int digits = 0;
  for (; i < n && d[i] >= '0' && d[i] <= '9'; i++, digits++) v = v * 10 + (d[i] - '0');
  return digits ? v : -1;
}

static int on_push(struct conn *c, const unsigned char *body, size_t n) {
  if (body[0] & 0x01) return 0; /* a compressed route is not the bench's push route */
  if (n < 2) return -1;
  size_t rl = body[1];
  if (n < 2 + rl) return -1;
  if (rl != push_route_len || memcmp(body + 2, push_route, rl) != 0) return 0;
  const unsigned char *data = body + 2 + rl;
  size_t dn = n - 2 - rl;
  delivered_total++;
  double t = now_ms();
  long long ts = -1;
  if (phase == MEASURE) {
    deliveries++;
    ts = read_ts(data, dn);
    if (ts >= 0) record(t - (double)ts / 1000.0);
  }
  if (!c->sender || !closed_mode) return 0;
  struct room *room = &rooms[c->room];
  if (room->nsenders > 1) {
    /* Only the copy of its own message releases a sender's next one. */
    if (ts < 0) ts = read_ts(data, dn);
    unsigned j = 0;
    while (j < c->nmine && c->mine[j] != ts) j++;
    if (j == c->nmine) return 0;
    c->mine[j] = c->mine[--c->nmine];
  }
  room->in_flight--;
  if (phase == WARMUP || phase == MEASURE) bsend(c->room, now_ms(), c);
  return 0;
}

static int main_broadcast(int argc, char **argv) {
  if (argc != 19) { fprintf(stderr, "usage: see the header of loadgen.c\n"); return 2; }
  ws = strcmp(argv[0], "ws") == 0;
  broadcast = 1;
  nrooms = atoi(argv[2]);
  room_size = atoi(argv[3]);
  senders_per_room = atoi(argv[4]);
  closed_mode = strcmp(argv[5], "closed") == 0;
  rate_per_sender = atof(argv[6]);
  in_flight_per_room = atoi(argv[7]);
  conn_concurrency = atoi(argv[8]);
  connect_timeout = atof(argv[9]);
  double warmup = atof(argv[10]), measure = atof(argv[11]), drain = atof(argv[12]);
  join_route = argv[14]; send_route = argv[15]; push_route = argv[16];
  push_route_len = strlen(push_route);
  payload_bytes = atoi(argv[17]);
  pad = argv[18];
  if (!prepare_handshake(argv[13]) || nrooms <= 0 || room_size <= 0 || parse_endpoints(argv[1], 0) < 0
      || strlen(join_route) > 255 || strlen(send_route) > 255 || (!closed_mode && rate_per_sender <= 0)) {
    fprintf(stderr, "bad arguments\n");
    return 2;
  }
  if (conn_concurrency < 1) conn_concurrency = 1;
  if (in_flight_per_room < 1) in_flight_per_room = 1;
  if (senders_per_room < 1) senders_per_room = 1;
  if (senders_per_room > room_size) senders_per_room = room_size;
  nconn = nrooms * room_size;
  scratch = malloc(8192);
  alloc_conns();
  rooms = calloc((size_t)nrooms, sizeof *rooms);
  for (int r = 0; r < nrooms; r++) {
    rooms[r].senders = malloc(sizeof(struct conn *) * (size_t)senders_per_room);
    for (int j = 0; j < room_size; j++) {
      struct conn *c = &conns[r * room_size + j];
      c->room = r;
      if (j >= room_size - senders_per_room) {
        c->sender = 1;
        c->mine = malloc(sizeof(long long) * (size_t)(in_flight_per_room + 8));
        rooms[r].senders[rooms[r].nsenders++] = c;
      }
    }
  }
  connect_all();
  if (connected_count < nconn) {
    printf("result {\"error\":\"only %d/%d members connected: %s\"}\n", connected_count, nconn, first_error[0] ? first_error : "unknown error");
    fflush(stdout);
    return 0;
  }
  /* Join in batches, in member order: a room's senders join last. */
  for (int i = 0; i < nconn; i += JOIN_BATCH) {
    int end = i + JOIN_BATCH < nconn ? i + JOIN_BATCH : nconn;
    for (int m = i; m < end; m++) {
      char data[128];
      int dn = snprintf(data, sizeof data, "{\"room\":\"room-%d\",\"uid\":\"u%d\"}", conns[m].room, m);
      size_t n = build_message(scratch, 1, join_route, data, (size_t)dn);
      send_bytes(&conns[m], scratch, n);
    }
    double until = now_ms() + connect_timeout;
    while (joined < end && now_ms() < until) poll_once(until - now_ms());
    if (joined < end) {
      printf("result {\"error\":\"joins timed out: %lld/%d answered\"}\n", joined, nconn);
      fflush(stdout);
      return 0;
    }
  }
  double start = now_ms(), t0 = 0, cpu0 = 0;
  measure_start = start + warmup;
  measure_end = measure_start + measure;
  int started = 0;
  if (closed_mode) {
    for (int r = 0; r < nrooms; r++) for (int i = 0; i < in_flight_per_room; i++) bsend(r, now_ms(), NULL);
    double next_watch = start + STALL_MS / 2;
    for (;;) {
      double t = now_ms();
      if (!started && t >= measure_start) { started = 1; phase = MEASURE; t0 = t; cpu0 = cpu_ms(); line("measure-start"); }
      if (t >= measure_end) break;
      if (t >= next_watch) {
        for (int r = 0; r < nrooms; r++) if (t - rooms[r].last_send_at > STALL_MS) { stalls++; bsend(r, t, NULL); }
        next_watch = t + STALL_MS / 2;
      }
      double wake = started ? measure_end : measure_start;
      if (next_watch < wake) wake = next_watch;
      poll_once(wake - now_ms());
    }
  } else {
    double interval = 1000.0 / (nrooms * rate_per_sender);
    long long k = 0;
    for (;;) {
      double t = now_ms();
      if (!started && t >= measure_start) { started = 1; phase = MEASURE; t0 = t; cpu0 = cpu_ms(); line("measure-start"); }
      double due = start + (double)k * interval;
      while (due <= t && due < measure_end) { bsend((int)(k % nrooms), due, NULL); k++; due = start + (double)k * interval; }
      if (due >= measure_end) break;
      double wake = due;
      if (!started && measure_start < wake) wake = measure_start;
      poll_once(wake - now_ms());
    }
  }
  phase = STOP;
  double t1 = now_ms(), cpu1 = cpu_ms();
  double window = started ? t1 - t0 : measure;
  line("measure-end");
  double until = now_ms() + drain;
  while (delivered_total < sent_total * room_size && now_ms() < until) poll_once(until - now_ms());
  closing = 1;
  printf("result {\"connected\":%d,\"connectFailures\":%d,\"disconnects\":%lld,\"windowMs\":%.3f,\"sends\":%lld,\"deliveries\":%lld,"
         "\"sentTotal\":%lld,\"deliveredTotal\":%lld,\"stalls\":%lld,\"senders\":%lld,\"maxInFlight\":%lld,\"generatorCpu\":%.4f,\"histogram\":[",
         connected_count, failures, disconnects, window, sends, deliveries, sent_total, delivered_total, stalls, active_senders, max_in_flight,
         started && window > 0 ? (cpu1 - cpu0) / window : 0.0);
  print_histogram();
  printf("]}\n");
  fflush(stdout);
  for (int i = 0; i < nconn; i++) if (conns[i].fd >= 0) close(conns[i].fd);
  return 0;
}

int main(int argc, char **argv) {
  prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the generator process that started it */
  if (argc >= 2 && strcmp(argv[1], "echo") == 0) return main_echo(argc - 2, argv + 2);
  if (argc >= 2 && strcmp(argv[1], "broadcast") == 0) return main_broadcast(argc - 2, argv + 2);
  fprintf(stderr, "usage: see the header of loadgen.c\n");
  return 2;
}
