import { describe, expect, it } from 'vitest';
import { isolateGroupedNumbers } from './bidi';

describe('a grouped phone number in text people wrote', () => {
  it('is isolated left to right, so Arabic text keeps its groups in order', () => {
    expect(isolateGroupedNumbers('اتصل بالرقم 0712 345 678 إذا احتجت إلى مساعدة.')).toBe('اتصل بالرقم \u20660712 345 678\u2069 إذا احتجت إلى مساعدة.');
    expect(isolateGroupedNumbers('Call +254 712 345 678 or 0712 345 678')).toBe('Call \u2066+254 712 345 678\u2069 or \u20660712 345 678\u2069');
  });

  it('leaves dates, plain numbers and numbers already isolated as they are', () => {
    for (const text of ['27 3 2007', 'It takes 10 minutes', 'مثل \u20660712 345 678\u2069.', '300 a month']) expect(isolateGroupedNumbers(text)).toBe(text);
  });
});
