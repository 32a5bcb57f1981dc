// The per-version families read from the serving core at scrape time (Triton's success, inference and execution
// counts, in-flight and queued requests), written straight into the text format: one line per version each, from
// label prefixes made once per version. Through prom-client they were a reset, an inc with a hashed label set per
// series and its generic formatter at every scrape: a quarter of a 50-model scrape's time (measured).
import type { MetricFamily } from '../../src/protocol/metric-families.js';
import { escapeLabelValue } from './version-histograms.js';

/** One version's numbers as a scrape reads them. */
export interface VersionValues {
  model: string;
  version: string;
}

/** Families of one value per version; `value` picks it (undefined: no line for that version). */
export class VersionReadingFamilies<T extends VersionValues> {
  private readonly headers: string[];
  private readonly prefixes = new Map<string, string[]>();

  constructor(
    private readonly families: ReadonlyArray<{ family: MetricFamily; value: (reading: T) => number | undefined }>,
  ) {
    this.headers = families.map(({ family }) => {
      const help = family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
      return `# HELP ${family.name} ${help}\n# TYPE ${family.name} ${family.type}\n`;
    });
  }

  /** Every family's text, each ending in a newline, families separated by a blank line as prom-client writes them. */
  text(readings: Iterable<T>): string {
    const out = [...this.headers];
    for (const reading of readings) {
      const prefixes = this.prefixesOf(reading);
      for (let i = 0; i < this.families.length; i++) {
        const value = this.families[i]!.value(reading);
        if (value !== undefined) out[i] += `${prefixes[i]}${value}\n`;
      }
    }
    return out.join('\n');
  }

  private prefixesOf(reading: T): string[] {
    const key = `${reading.model}\u0000${reading.version}`;
    let prefixes = this.prefixes.get(key);
    if (!prefixes) {
      const labels = `{model="${escapeLabelValue(reading.model)}",version="${escapeLabelValue(reading.version)}"} `;
      prefixes = this.families.map(({ family }) => `${family.name}${labels}`);
      this.prefixes.set(key, prefixes);
    }
    return prefixes;
  }
}
