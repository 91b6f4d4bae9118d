/**
 * Type tests of write() (issue 11 item 8, issue 12): the value `write` takes
 * follows the attribute's value type (`WriteValue<T>`), an untyped attribute
 * takes anything, and a typed attribute still goes wherever an untyped one
 * is taken. Run by vitest's typecheck mode; nothing here runs.
 */
import {
  Attribute,
  type AttributeModel,
  createManager,
  Quantity,
  type WriteValue,
  withDeclaration,
} from 'tk-core';
import { describe, expectTypeOf, test } from 'vitest';

describe('write(value) is typed by the attribute', () => {
  test('a numeric attribute takes a Quantity, a number or a text with units', () => {
    const speed = Attribute<Quantity>('loc:/w/speed?units=m/s');
    expectTypeOf(speed.write).toBeCallableWith(Quantity.of(2, 'km/h'));
    expectTypeOf(speed.write).toBeCallableWith(2);
    expectTypeOf(speed.write).toBeCallableWith('2 km/h');
    expectTypeOf(speed.write).toBeCallableWith([1, 2]);
    // @ts-expect-error a boolean is no number
    void speed.write(true);
    // @ts-expect-error nor is an object
    void speed.write({ value: 2 });
  });

  test('a boolean attribute takes booleans, 0 and 1, and texts', () => {
    const flag = createManager().attribute<boolean>('loc:/w/flag');
    expectTypeOf(flag.write).toBeCallableWith(true);
    expectTypeOf(flag.write).toBeCallableWith(1);
    expectTypeOf(flag.write).toBeCallableWith('true');
    // @ts-expect-error 2 is not a boolean
    void flag.write(2);
  });

  test('a text attribute takes texts; arrays take arrays of their elements or JSON', () => {
    const label = Attribute<string>('loc:/w/label');
    expectTypeOf(label.write).toBeCallableWith('hello');
    // @ts-expect-error a number is not a text
    void label.write(3);
    const flags = Attribute<boolean[]>('loc:/w/flags');
    expectTypeOf(flags.write).toBeCallableWith([true, 'false', 0]);
    expectTypeOf(flags.write).toBeCallableWith('[true, false]');
    // @ts-expect-error 2 is no boolean, in an array either
    void flags.write([2]);
  });

  test("a scheme's own write request goes to any attribute; untyped attributes take anything", () => {
    expectTypeOf(Attribute<Quantity>('cii.oldb:/w/x').write).toBeCallableWith(
      withDeclaration(Quantity.of(2, 'mm')),
    );
    const untyped = Attribute('loc:/w/any');
    expectTypeOf(untyped.write).toBeCallableWith({ anything: true });
    expectTypeOf<WriteValue<unknown>>().toBeUnknown();
    expectTypeOf<WriteValue<Quantity>>().toMatchTypeOf<unknown>();
  });

  test('a typed attribute is still an attribute (covariant in its value type)', () => {
    expectTypeOf(Attribute<Quantity>('loc:/w/speed')).toMatchTypeOf<AttributeModel>();
    expectTypeOf<AttributeModel>().not.toMatchTypeOf<AttributeModel<boolean>>();
  });
});
