import { CHECK_SLUGS, CROSSWALK, CROSSWALK_SOURCES, FRAMEWORKS, FRAMEWORK_IDS, crosswalkFor, frameworkFrom, relatedRequirements } from '../../src/controls';

describe('the compliance crosswalk', () => {
  it('gives every mapping a source, and every framework that maps nothing a reason', () => {
    for (const check of CHECK_SLUGS) {
      for (const entry of crosswalkFor(check)) {
        if (entry.requirements.length > 0) {
          expect(entry.sources.length).toBeGreaterThan(0);
          expect(entry.note).toBeUndefined();
        } else {
          expect(entry.note?.length).toBeGreaterThan(20);
        }
      }
    }
    const used = new Set(Object.values(CROSSWALK).flatMap((byFramework) => Object.values(byFramework).flatMap((m) => m?.sources ?? [])));
    expect([...used].sort()).toEqual(Object.keys(CROSSWALK_SOURCES).sort());
  });

  it('says so where a whole framework maps nothing, and never maps it', () => {
    const unmapped = FRAMEWORK_IDS.filter((id) => FRAMEWORKS[id].unmapped);

    expect(unmapped).toEqual(['pci-dss-4.0', 'cis-controls-v8', 'mas-trm']);
    for (const check of CHECK_SLUGS) for (const id of unmapped) expect(CROSSWALK[check][id]).toBeUndefined();
  });

  it('names related requirements as framework/requirement, as ASFF and OCSF carry them', () => {
    expect(relatedRequirements('root_usage')).toEqual([
      'PCI DSS v3.2.1/7.2.1',
      'ISO/IEC 27001:2022 Annex A/A.8.15',
      'ISO/IEC 27001:2022 Annex A/A.8.16',
      'APRA CPS 234/CPS 234 para 23',
    ]);
  });

  it('reads a framework as people write it', () => {
    expect(frameworkFrom('nist-800-53')).toBe('nist-800-53');
    expect(frameworkFrom('ISO-27001-2022')).toBe('iso-27001-2022');
    expect(frameworkFrom('pci-4.0')).toBe('pci-dss-4.0');
    expect(frameworkFrom('sox')).toBeUndefined();
  });
});
