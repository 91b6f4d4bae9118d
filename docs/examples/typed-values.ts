import { createManager, type Quantity, type Reading } from 'tk-core';

const m = createManager();

// the type of the values, stated once: read(), value$, subscribe and for await carry it
const speed = m.attribute<Quantity>('eval:Q("12.5 m")/Q("2 s")');
const r: Reading<Quantity> = await speed.read();
console.log(r.rvalue.to('km/h').magnitude); // 22.5

const on = m.attribute<boolean>('eval:True');
for await (const reading of on) {
  if (reading.rvalue) console.log('on'); // on
  break;
}

// readable in a console and a debugger
console.log(String(r)); // 6.25 m/s (VALID)
console.log(r.rvalue); // Quantity<6.25 m/s>
console.log(r); // Reading { rvalue: Quantity<6.25 m/s>, quality: VALID, time: 2026-12-07T14:00:00.000Z }
console.log(speed); // Attribute<eval://localhost/@DefaultEvaluator/Q("12.5 m")/Q("2 s")> 6.25 m/s (VALID)

await m.dispose();
