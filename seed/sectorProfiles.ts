/**
 * What a firm of a given sector makes and measures: part templates, inspected
 * characteristics, machine sensors, production lines. The generator picks a profile from
 * the member's `sector` text; an unknown sector gets a generic profile named after it.
 */

export type Uom = 'pcs' | 'kg' | 'm2' | 'm';

export interface PartTemplate {
  name: string;
  category: string;
  uom: Uom;
  /** Standard unit cost in EUR. */
  unitCost: number;
  /** Typical size of a lot made for stock, [min, max] in `uom`. */
  lotSize: readonly [number, number];
}

export interface CharacteristicTemplate {
  characteristic: string;
  unit: string;
  nominal: number;
  /** Limits are nominal ± tolerance. */
  tolerance: number;
}

export interface SensorTemplate {
  metric: string;
  threshold: number;
}

export interface SectorProfile {
  /** Lower-case words that select this profile when found in a member's sector. */
  keywords: readonly string[];
  /** Short upper-case code used in part numbers, e.g. `AF`. */
  code: string;
  parts: readonly PartTemplate[];
  characteristics: readonly CharacteristicTemplate[];
  sensors: readonly SensorTemplate[];
  lines: readonly string[];
}

const pcs = (name: string, category: string, unitCost: number, lotSize: readonly [number, number]): PartTemplate => ({
  name, category, uom: 'pcs', unitCost, lotSize,
});
const bulk = (name: string, category: string, uom: Uom, unitCost: number, lotSize: readonly [number, number]): PartTemplate => ({
  name, category, uom, unitCost, lotSize,
});
const ch = (characteristic: string, unit: string, nominal: number, tolerance: number): CharacteristicTemplate => ({
  characteristic, unit, nominal, tolerance,
});

const PROFILES: readonly SectorProfile[] = [
  {
    keywords: ['airframe', 'aircraft', 'assembly'], code: 'AF',
    parts: [
      pcs('Forward fuselage section', 'airframe section', 1_850_000, [1, 1]),
      pcs('Centre wing box', 'airframe section', 2_400_000, [1, 1]),
      pcs('Rear fuselage section', 'airframe section', 1_320_000, [1, 1]),
      pcs('Horizontal tail plane', 'airframe section', 640_000, [1, 2]),
    ],
    characteristics: [ch('fuselage join step', 'mm', 0, 0.5), ch('section alignment', 'mm', 0, 1.2), ch('fastener torque', 'N·m', 18, 1.5)],
    sensors: [{ metric: 'jig temperature °C', threshold: 24 }, { metric: 'riveting force kN', threshold: 40 }],
    lines: ['Final assembly line 1', 'Final assembly line 2', 'Join station'],
  },
  {
    keywords: ['structure', 'aerostructure'], code: 'ST',
    parts: [
      pcs('Fuselage skin panel', 'fuselage panel', 48_000, [2, 12]),
      pcs('Wing rib assembly', 'wing rib', 9_500, [4, 24]),
      pcs('Floor beam assembly', 'floor structure', 6_200, [6, 30]),
      pcs('Door surround frame', 'frame', 31_000, [1, 6]),
    ],
    characteristics: [ch('skin thickness', 'mm', 1.6, 0.08), ch('rivet pitch', 'mm', 25, 0.5), ch('contour deviation', 'mm', 0, 0.3)],
    sensors: [{ metric: 'autoclave pressure bar', threshold: 7 }, { metric: 'drilling spindle vibration mm/s', threshold: 4.5 }],
    lines: ['Panel line A', 'Panel line B', 'Rib cell'],
  },
  {
    keywords: ['avionic', 'electronic system', 'flight control'], code: 'AV',
    parts: [
      pcs('Flight control computer', 'flight computer', 185_000, [1, 8]),
      pcs('Air data unit', 'sensor unit', 42_000, [2, 12]),
      pcs('Cockpit display unit', 'display', 67_000, [1, 10]),
      pcs('Engine interface unit', 'interface unit', 38_000, [2, 12]),
    ],
    characteristics: [ch('insulation resistance', 'MΩ', 550, 450), ch('power draw', 'W', 85, 6), ch('boot time', 's', 12, 3)],
    sensors: [{ metric: 'burn-in chamber temperature °C', threshold: 72 }, { metric: 'test rig supply voltage V', threshold: 28.8 }],
    lines: ['LRU assembly', 'Burn-in', 'ATP bench'],
  },
  {
    keywords: ['machining', 'machine shop', 'milling'], code: 'MC',
    parts: [
      pcs('Machined wing rib', 'wing rib', 2_900, [10, 80]),
      pcs('Titanium bracket', 'bracket', 420, [50, 400]),
      pcs('Avionics chassis housing', 'housing', 1_150, [10, 120]),
      pcs('Hinge fitting', 'fitting', 780, [20, 200]),
    ],
    characteristics: [ch('bore diameter', 'mm', 12.0, 0.02), ch('flatness', 'mm', 0, 0.05), ch('surface roughness Ra', 'µm', 0.8, 0.4)],
    sensors: [{ metric: 'spindle vibration mm/s', threshold: 6 }, { metric: 'spindle temperature °C', threshold: 65 }, { metric: 'coolant concentration %', threshold: 9 }],
    lines: ['5-axis cell 1', '5-axis cell 2', 'Turning cell'],
  },
  {
    keywords: ['pcb', 'printed circuit', 'circuit board'], code: 'PC',
    parts: [
      pcs('Multilayer PCB 12L', 'PCB', 310, [50, 500]),
      pcs('Power supply board', 'PCB', 180, [50, 400]),
      pcs('CPU module board', 'PCB', 540, [20, 200]),
      pcs('Backplane board', 'PCB', 260, [20, 150]),
    ],
    characteristics: [ch('solder joint voids', '%', 12, 12), ch('impedance', 'Ω', 50, 5), ch('layer registration', 'µm', 0, 75)],
    sensors: [{ metric: 'reflow oven peak temperature °C', threshold: 250 }, { metric: 'etch bath conductivity mS/cm', threshold: 180 }],
    lines: ['SMT line 1', 'SMT line 2', 'Lamination press'],
  },
  {
    keywords: ['alumin', 'rolling mill', 'light alloy'], code: 'AL',
    parts: [
      bulk('Aluminium plate 7075-T651 25 mm', 'aluminium plate', 'kg', 9.8, [2_000, 12_000]),
      bulk('Aluminium plate 2024-T351 12 mm', 'aluminium plate', 'kg', 8.6, [2_000, 10_000]),
      bulk('Al-Li sheet 2198-T8 2 mm', 'aluminium sheet', 'kg', 21.5, [1_000, 6_000]),
      bulk('Extrusion 6061-T6', 'aluminium extrusion', 'kg', 6.4, [1_500, 8_000]),
    ],
    characteristics: [ch('tensile strength', 'MPa', 570, 25), ch('hardness', 'HB', 150, 8), ch('plate thickness', 'mm', 25, 0.15)],
    sensors: [{ metric: 'roll force MN', threshold: 38 }, { metric: 'furnace temperature °C', threshold: 495 }],
    lines: ['Hot rolling mill', 'Stretching line', 'Ageing furnace'],
  },
  {
    keywords: ['copper', 'laminate', 'foil'], code: 'CU',
    parts: [
      bulk('Electrodeposited copper foil 35 µm', 'copper foil', 'm2', 14.5, [500, 5_000]),
      bulk('Copper-clad laminate FR-4 1.6 mm', 'laminate', 'm2', 38, [200, 2_000]),
      bulk('Rolled copper foil 18 µm', 'copper foil', 'm2', 19.8, [500, 4_000]),
      bulk('Prepreg 1080', 'prepreg', 'm2', 6.3, [500, 5_000]),
    ],
    characteristics: [ch('foil thickness', 'µm', 35, 3.5), ch('peel strength', 'N/mm', 1.4, 0.3), ch('surface roughness Rz', 'µm', 5, 2)],
    sensors: [{ metric: 'plating current density A/dm²', threshold: 90 }, { metric: 'electrolyte temperature °C', threshold: 60 }],
    lines: ['Plating drum 1', 'Plating drum 2', 'Laminating press'],
  },
  {
    keywords: ['composite', 'carbon', 'cfrp'], code: 'CF',
    parts: [
      pcs('CFRP stringer', 'stringer', 1_900, [10, 60]),
      pcs('CFRP spar section', 'spar', 24_000, [2, 10]),
      pcs('Sandwich floor panel', 'floor panel', 2_300, [10, 50]),
      bulk('Carbon prepreg tape', 'prepreg', 'm2', 85, [200, 2_000]),
    ],
    characteristics: [ch('porosity', '%', 1, 1), ch('fibre volume fraction', '%', 58, 3), ch('cured ply thickness', 'mm', 0.184, 0.01)],
    sensors: [{ metric: 'autoclave temperature °C', threshold: 185 }, { metric: 'vacuum bag pressure mbar', threshold: 50 }],
    lines: ['Layup cell', 'Autoclave 1', 'Trimming cell'],
  },
  {
    keywords: ['forg', 'casting', 'foundry'], code: 'FG',
    parts: [
      pcs('Titanium landing gear forging', 'forging', 38_000, [2, 12]),
      pcs('Steel engine mount forging', 'forging', 9_200, [5, 30]),
      pcs('Aluminium frame forging', 'forging', 3_400, [10, 60]),
      pcs('Investment cast housing', 'casting', 1_600, [20, 120]),
    ],
    characteristics: [ch('grain size', 'ASTM', 7, 1.5), ch('ultrasonic indication', 'dB', 0, 6), ch('hardness', 'HRC', 36, 3)],
    sensors: [{ metric: 'press force MN', threshold: 480 }, { metric: 'die temperature °C', threshold: 440 }],
    lines: ['Closed-die press', 'Heat treatment', 'Finishing'],
  },
  {
    keywords: ['fastener', 'rivet', 'bolt'], code: 'FA',
    parts: [
      pcs('Hi-Lok pin', 'fastener', 2.1, [5_000, 50_000]),
      pcs('Solid rivet 4 mm', 'fastener', 0.18, [20_000, 200_000]),
      pcs('Titanium bolt M8', 'fastener', 6.5, [2_000, 20_000]),
      pcs('Self-locking nut M8', 'fastener', 1.4, [5_000, 50_000]),
    ],
    characteristics: [ch('shank diameter', 'mm', 4.0, 0.02), ch('tensile load', 'kN', 12, 1.2), ch('coating thickness', 'µm', 8, 3)],
    sensors: [{ metric: 'header press vibration mm/s', threshold: 8 }, { metric: 'thread roller load kN', threshold: 55 }],
    lines: ['Heading line', 'Thread rolling', 'Coating line'],
  },
  {
    keywords: ['harness', 'cable', 'wiring', 'wire'], code: 'WH',
    parts: [
      pcs('Cockpit wiring harness', 'harness', 7_800, [2, 20]),
      pcs('Wing wiring harness', 'harness', 5_400, [2, 20]),
      bulk('Aerospace wire 22 AWG', 'wire', 'm', 0.9, [5_000, 50_000]),
      pcs('Circular connector', 'connector', 95, [100, 1_000]),
    ],
    characteristics: [ch('continuity resistance', 'mΩ', 20, 20), ch('insulation resistance', 'MΩ', 600, 500), ch('crimp pull force', 'N', 120, 20)],
    sensors: [{ metric: 'crimp press force kN', threshold: 12 }, { metric: 'hipot leakage current mA', threshold: 1 }],
    lines: ['Harness board 1', 'Harness board 2', 'Test bench'],
  },
];

/**
 * The profile of a sector: the first whose keywords occur in the lower-cased sector text,
 * else a generic profile named after the sector.
 *
 * @example
 * sectorProfile('copper foil').parts[0]?.name; // → 'Electrodeposited copper foil 35 µm'
 */
export function sectorProfile(sector: string): SectorProfile {
  const text = sector.toLowerCase();
  const found = PROFILES.find((profile) => profile.keywords.some((keyword) => text.includes(keyword)));
  return found ?? genericProfile(sector);
}

function genericProfile(sector: string): SectorProfile {
  const label = sector.trim() || 'component';
  const code = label.replace(/[^a-z]/gi, '').slice(0, 2).toUpperCase().padEnd(2, 'X');
  return {
    keywords: [],
    code,
    parts: ['A', 'B', 'C', 'D'].map((variant, i) => pcs(`${label} part ${variant}`, label, 150 * (i + 1), [20, 200])),
    characteristics: [ch('dimension check', 'mm', 10, 0.1), ch('weight', 'g', 250, 10)],
    sensors: [{ metric: 'motor current A', threshold: 18 }, { metric: 'vibration mm/s', threshold: 7 }],
    lines: ['Line 1', 'Line 2'],
  };
}
