/** Routes of the `sys` remote every server exposes (Pitaya's `constants.SessionBindRoute` & co). */
export const SysRoute = {
  BindSession: 'sys.bindsession',
  PushSession: 'sys.pushsession',
  Kick: 'sys.kick',
} as const;
