import { Heartbeat } from '../src/heartbeat';

describe('Heartbeat', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('sends every interval and stays alive while the server talks', () => {
    const sent = jest.fn();
    const dead = jest.fn();
    const hb = new Heartbeat(1000, sent, dead);
    hb.start();
    for (let i = 0; i < 10; i++) {
      jest.advanceTimersByTime(1000);
      hb.touch();
    }
    expect(sent).toHaveBeenCalledTimes(10);
    expect(dead).not.toHaveBeenCalled();
    hb.stop();
  });

  test('declares death once, after 2 silent intervals counted from the last packet', () => {
    const dead = jest.fn();
    const hb = new Heartbeat(1000, () => undefined, dead);
    hb.start();
    jest.advanceTimersByTime(1500);
    hb.touch(); // silence now starts at t=1500
    jest.advanceTimersByTime(1999);
    expect(dead).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(dead).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(10_000);
    expect(dead).toHaveBeenCalledTimes(1);
  });

  test('stop() cancels everything', () => {
    const sent = jest.fn();
    const dead = jest.fn();
    const hb = new Heartbeat(1000, sent, dead);
    hb.start();
    hb.stop();
    jest.advanceTimersByTime(10_000);
    expect(sent).not.toHaveBeenCalled();
    expect(dead).not.toHaveBeenCalled();
  });
});
