/**
 * The units tk-core knows, after pint's definitions (pint 0.19, the units
 * library of Taurus; `%`, `ppm`, `Jy` and the Greek `μ` after later pint
 * releases): names, symbols and factors are pint's. Each entry is
 * `names=definition`: the first name is the canonical one, the others are
 * aliases, and the definition is a unit expression over units defined
 * before it (numbers are factors here). Any unit takes an SI prefix, as in
 * pint (`mm`, `kPa`, `µrad`, `mas`). The seven base units are in
 * {@link BASE_UNITS}. Logarithmic units (`dB`) and counts (`counts`, `ADU`)
 * are deliberately absent: they stay opaque labels.
 *
 * @module
 */

/** The base units in dimension order (dimension.ts); `g` is `1e-3` of the base unit of mass, as in pint. */
export const BASE_UNITS: readonly string[] = [
  'm meter metre',
  'g gram',
  's second sec',
  'A ampere amp',
  'K kelvin',
  'mol mole',
  'cd candela',
];

/** Derived and other units, `;`-separated `names=definition`, in definition order. */
export const DERIVED_UNITS =
  'rad radian=1;sr steradian=rad^2;Hz hertz=1/s;N newton=kg*m/s^2;J joule=N*m;W watt=J/s;' +
  'Pa pascal=N/m^2;C coulomb=A*s;V volt=J/C;ohm Ω=V/A;S siemens mho=A/V;F farad=C/V;Wb weber=V*s;' +
  'T tesla=Wb/m^2;H henry=Wb/A;lm lumen=cd*sr;lx lux=lm/m^2;Bq becquerel=1/s;Gy gray=J/kg;' +
  'Sv sievert=J/kg;kat katal=mol/s;' +
  'deg degree arcdeg °=0.017453292519943295*rad;arcmin arcminute=deg/60;arcsec arcsecond=arcmin/60;' +
  'mas milliarcsecond=1e-3*arcsec;turn revolution cycle=6.283185307179586*rad;' +
  'min minute=60*s;h hour hr=60*min;d day=24*h;week=7*d;a year yr julian_year=365.25*d;rpm=turn/min;' +
  'l L liter litre=dm^3;cc=cm^3;ha hectare=hm^2;bar=1e5*Pa;atm standard_atmosphere=101325*Pa;' +
  'torr=atm/760;mmHg millimeter_Hg=133.322387415*Pa;yd yard=0.9144*m;in inch=yd/36;ft foot=yd/3;' +
  'mi mile=1760*yd;nmi nautical_mile=1852*m;lb pound=0.45359237*kg;' +
  'lbf force_pound=0.45359237*kg*9.80665*m/s^2;psi=lbf/in^2;' +
  'eV electron_volt=1.602176634e-19*J;Wh watt_hour=W*h;Å angstrom=1e-10*m;' +
  'au astronomical_unit=149597870700*m;ly light_year=9460730472580800*m;pc parsec=3.0856775814671916e16*m;' +
  'Jy jansky=1e-26*W/m^2/Hz;% percent=0.01;ppm=1e-6';

/**
 * SI prefixes in pint's order (pint tries them in this order when a name
 * could be read two ways): each name and symbol with its decimal exponent.
 * `μ` (Greek mu) is read like `µ` (micro sign), as later pint releases do.
 * Binary prefixes (`Ki`) are not read: no unit here takes them.
 */
export const PREFIXES: readonly (readonly [string, number])[] = [
  ['yocto', -24],
  ['y', -24],
  ['zepto', -21],
  ['z', -21],
  ['atto', -18],
  ['a', -18],
  ['femto', -15],
  ['f', -15],
  ['pico', -12],
  ['p', -12],
  ['nano', -9],
  ['n', -9],
  ['micro', -6],
  ['µ', -6],
  ['u', -6],
  ['μ', -6],
  ['milli', -3],
  ['m', -3],
  ['centi', -2],
  ['c', -2],
  ['deci', -1],
  ['d', -1],
  ['deca', 1],
  ['da', 1],
  ['deka', 1],
  ['hecto', 2],
  ['h', 2],
  ['kilo', 3],
  ['k', 3],
  ['mega', 6],
  ['M', 6],
  ['giga', 9],
  ['G', 9],
  ['tera', 12],
  ['T', 12],
  ['peta', 15],
  ['P', 15],
  ['exa', 18],
  ['E', 18],
  ['zetta', 21],
  ['Z', 21],
  ['yotta', 24],
  ['Y', 24],
];
