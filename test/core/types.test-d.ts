/**
 * Type tests (issue 11 item 8): the value type given to `Attribute<T>` or
 * `manager.attribute<T>` is carried through every way a value comes out of
 * an attribute, and code that gives none still sees `unknown`. Run by
 * vitest's typecheck mode (vitest.config.ts, `typecheck`); nothing here runs.
 */
import type { Observable } from 'rxjs';
import {
  Attribute,
  type AttributeModel,
  createManager,
  type ListenerSubscription,
  Quantity,
  type Reading,
  type TkEvent,
} from 'tk-core';
import {
  createDisplay,
  createForm,
  createInput,
  createPlot,
  createTrend,
  type DisplayController,
  type InputController,
} from 'tk-core/ui';
import { describe, expectTypeOf, test } from 'vitest';

describe('Attribute<T> and manager.attribute<T>', () => {
  test('the value type reaches read(), reading, value$, subscribe, events$, listeners and for await', async () => {
    const speed = Attribute<Quantity>('eval:Q("12.5 m")/Q("2 s")');
    expectTypeOf(speed).toEqualTypeOf<AttributeModel<Quantity>>();
    expectTypeOf(speed.read()).resolves.toEqualTypeOf<Reading<Quantity>>();
    expectTypeOf(speed.read()).resolves.toHaveProperty('rvalue').toEqualTypeOf<Quantity>();
    expectTypeOf(speed.reading).toEqualTypeOf<Reading<Quantity> | undefined>();
    expectTypeOf(speed.value$).toEqualTypeOf<Observable<Reading<Quantity>>>();
    expectTypeOf(speed.events$).toEqualTypeOf<Observable<TkEvent<Quantity>>>();
    expectTypeOf(speed.write('1 m/s')).resolves.toEqualTypeOf<Reading<Quantity> | undefined>();
    expectTypeOf(speed.subscribe).parameter(0).parameter(0).toEqualTypeOf<Reading<Quantity>>();
    expectTypeOf(speed.addListener).parameter(0).parameter(0).toEqualTypeOf<TkEvent<Quantity>>();
    expectTypeOf(speed.subscribe((r) => r.rvalue.magnitude)).toEqualTypeOf<ListenerSubscription>();
    for await (const r of speed) {
      expectTypeOf(r).toEqualTypeOf<Reading<Quantity>>();
      expectTypeOf(r.rvalue.to('km/h')).toEqualTypeOf<Quantity>();
      expectTypeOf(r.wvalue).toEqualTypeOf<Quantity | undefined>();
      break;
    }
    speed.addListener((e) => {
      if (e.type !== 'config') expectTypeOf(e.reading.rvalue).toEqualTypeOf<Quantity>();
    });

    const m = createManager();
    const flag = m.attribute<boolean>('eval:True');
    expectTypeOf(flag).toEqualTypeOf<AttributeModel<boolean>>();
    expectTypeOf(flag.read()).resolves.toEqualTypeOf<Reading<boolean>>();
    flag.value$.subscribe((r) => expectTypeOf(r.rvalue).toEqualTypeOf<boolean>());
    await m.dispose();
  });

  test('without a type parameter everything stays unknown, as before', () => {
    const a = Attribute('eval:1');
    expectTypeOf(a).toEqualTypeOf<AttributeModel<unknown>>();
    expectTypeOf(a).toEqualTypeOf<Attribute>();
    expectTypeOf(a.read()).resolves.toEqualTypeOf<Reading>();
    expectTypeOf<Reading>().toEqualTypeOf<Reading<unknown>>();
    expectTypeOf<Reading['rvalue']>().toBeUnknown();
    expectTypeOf(createManager().attribute('eval:1').value$).toEqualTypeOf<Observable<Reading>>();
  });

  test('a typed attribute goes wherever an untyped one is taken; not the other way round', () => {
    const typed = Attribute<Quantity>('eval:Q("1 m")');
    expectTypeOf(typed).toMatchTypeOf<AttributeModel>();
    expectTypeOf(typed).toMatchTypeOf<Attribute>();
    expectTypeOf<Reading<Quantity>>().toMatchTypeOf<Reading>();
    expectTypeOf<AttributeModel>().not.toMatchTypeOf<AttributeModel<Quantity>>();
    expectTypeOf<AttributeModel<string>>().not.toMatchTypeOf<AttributeModel<Quantity>>();
    // controllers that take any attribute take a typed one
    expectTypeOf(createForm).toBeCallableWith([typed, 'eval:1']);
    expectTypeOf(createDisplay).toBeCallableWith(typed);
    expectTypeOf(createTrend).toBeCallableWith([typed, Attribute<Quantity[]>('eval:[1, 2]')]);
    expectTypeOf(createPlot).toBeCallableWith(Attribute<Quantity>('eval:rand(5)'));
  });

  test('the type parameter of Quantity is its magnitude', () => {
    expectTypeOf(Quantity.parse('3 mm')).toEqualTypeOf<Quantity<number>>();
    expectTypeOf(Quantity.of([1, 2], 'mm').magnitude).toEqualTypeOf<number[]>();
    expectTypeOf(Quantity.parse('3 mm').to('m')).toEqualTypeOf<Quantity<number>>();
  });
});

describe('tk-core/ui controllers', () => {
  test('a display and an input keep the attribute value type', () => {
    const d = createDisplay(Attribute<Quantity>('eval:Q("1 m")'));
    expectTypeOf(d).toEqualTypeOf<DisplayController<Quantity>>();
    expectTypeOf(d.attribute.reading).toEqualTypeOf<Reading<Quantity> | undefined>();
    expectTypeOf(createDisplay<boolean>('eval:True').attribute).toEqualTypeOf<AttributeModel<boolean>>();
    expectTypeOf(createDisplay('eval:1')).toEqualTypeOf<DisplayController>();

    const input = createInput<Quantity>('loc:/types/x?type=float&units=mm');
    expectTypeOf(input).toEqualTypeOf<InputController<Quantity>>();
    expectTypeOf(input.value).toEqualTypeOf<Quantity | undefined>();
    expectTypeOf(input.attribute.read()).resolves.toEqualTypeOf<Reading<Quantity>>();
    expectTypeOf(createInput('loc:/types/y').value).toBeUnknown();
  });
});
