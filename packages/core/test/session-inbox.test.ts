import { MessageType, type Message } from '@pitaya-ts/protocol';
import { SessionInbox } from '@pitaya-ts/core/internal';

const message = (id: number, bytes = 10): Message => ({ type: MessageType.Request, id, route: 'a.b.c', routeCompressed: false, data: new Uint8Array(bytes), compressed: false, error: false } as Message);

describe('session inbox (the dispatcher ↔ agent queue)', () => {
  const reading = (): { pause: jest.Mock; resume: jest.Mock } => ({ pause: jest.fn(), resume: jest.fn() });

  it('orders messages behind the one in progress and goes idle when drained', () => {
    const inbox = new SessionInbox(reading());
    expect(inbox.begin()).toBe(true);
    expect(inbox.begin()).toBe(false);
    inbox.enqueue(message(2), 100, 1 << 20);
    inbox.enqueue(message(3), 100, 1 << 20);
    expect(inbox.next(false)?.id).toBe(2);
    expect(inbox.next(false)?.id).toBe(3);
    expect(inbox.next(false)).toBeUndefined();
    expect(inbox.busy).toBe(false);
  });

  it('stops reading at the count or byte bound and resumes once drained, unless reading was stopped for good', () => {
    const control = reading();
    const inbox = new SessionInbox(control);
    inbox.begin();
    inbox.enqueue(message(1, 600), 100, 1000);
    expect(control.pause).not.toHaveBeenCalled();
    inbox.enqueue(message(2, 600), 100, 1000);
    expect(control.pause).toHaveBeenCalledTimes(1);
    expect(inbox.waitingBytes).toBe(1200);
    inbox.next(false);
    inbox.next(false);
    expect(inbox.next(false)).toBeUndefined();
    expect(control.resume).toHaveBeenCalledTimes(1);

    const stopped = reading();
    const other = new SessionInbox(stopped);
    other.begin();
    other.enqueue(message(1), 1, 1 << 20);
    other.stopReading();
    other.next(false);
    other.next(false);
    expect(stopped.resume).not.toHaveBeenCalled();
  });

  it('gives back the arrival time of each queued message with it, and -1 for untimed ones', () => {
    const inbox = new SessionInbox(reading());
    inbox.begin();
    inbox.enqueue(message(1), 100, 1 << 20, 10.5);
    inbox.enqueue(message(2), 100, 1 << 20, 12.25);
    expect(inbox.next(false)?.id).toBe(1);
    expect(inbox.arrivedAt).toBe(10.5);
    expect(inbox.next(false)?.id).toBe(2);
    expect(inbox.arrivedAt).toBe(12.25);
    expect(inbox.next(false)).toBeUndefined();
    inbox.begin();
    inbox.enqueue(message(3), 100, 1 << 20);
    expect(inbox.next(false)?.id).toBe(3);
    expect(inbox.arrivedAt).toBe(-1);
  });

  it('hands over what is in progress and waiting (shutdown), and forgets the queue on close', () => {
    const inbox = new SessionInbox(reading());
    inbox.begin();
    inbox.handling(message(1));
    inbox.enqueue(message(2), 100, 1 << 20);
    expect(inbox.drain().map((m) => m.id)).toEqual([1, 2]);
    expect(inbox.waiting).toBe(0);
    inbox.enqueue(message(3), 100, 1 << 20);
    inbox.clear();
    expect(inbox.next(true)).toBeUndefined();
  });
});
