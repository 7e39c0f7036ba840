import 'reflect-metadata';
import { Container, injectable } from 'inversify';
@injectable() class A { x = 1; }
@injectable() class B { constructor(readonly a: A) {} }
test('swc keeps decorator metadata and inversify resolves by type', () => {
  const c = new Container({ defaultScope: 'Singleton' });
  c.bind(A).toSelf(); c.bind(B).toSelf();
  expect(c.get(B).a.x).toBe(1);
});
