/**
 * The hub's pages speak Simplified Chinese and English (SPEC §2): Chinese
 * where the browser prefers it, the steward's own choice once made. Every
 * page (the console, the citizen's /me) calls `startI18n()` once before it
 * renders, reads its text from its own namespace of locales/<language>.ts
 * (`useTranslation('console')`), formats numbers and dates with `useFormat()`
 * and shows `<LanguageSwitch />` in its header.
 */
import { useMemo } from 'react';
import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next, useTranslation } from 'react-i18next';
import { en } from './locales/en.js';
import { zhCN } from './locales/zh-CN.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    /** English is the reference: keys and interpolation variables are checked against it. */
    resources: typeof en;
    returnNull: false;
  }
}

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Each language named in itself, as a switch shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = { 'zh-CN': '简体中文', en: 'English' };

/** Where an explicit choice is kept; shared by every page of the hub's origin. */
const CHOICE = 'oncegraph.language';

/**
 * A browser's language tag as one of ours: any Chinese (zh, zh-Hans, zh-TW,
 * zh-HK) reads the Simplified Chinese pages, any English the English ones;
 * anything else is passed on and ends at the fallback (English).
 */
export function supportedLanguageOf(tag: string): string {
  const lower = tag.toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-') || lower.startsWith('zh_')) return 'zh-CN';
  if (lower === 'en' || lower.startsWith('en-') || lower.startsWith('en_')) return 'en';
  return tag;
}

/** The language the page is in now. */
export function currentLanguage(): Language {
  return i18next.resolvedLanguage === 'zh-CN' ? 'zh-CN' : 'en';
}

/**
 * Starts i18next for a page: resources are bundled (no request), so it is
 * ready before the first render. `<html lang>` follows the language.
 */
export function startI18n(): typeof i18next {
  if (i18next.isInitialized) return i18next;
  i18next.on('languageChanged', () => {
    document.documentElement.lang = currentLanguage();
  });
  void i18next
    .use(LanguageDetector)
    .use(initReactI18next)
    .init({
      resources: { en, 'zh-CN': zhCN },
      supportedLngs: LANGUAGES,
      fallbackLng: 'en',
      load: 'currentOnly',
      ns: Object.keys(en),
      defaultNS: false,
      initAsync: false,
      returnNull: false,
      // React escapes what it renders.
      interpolation: { escapeValue: false },
      detection: {
        // An explicit choice first, then the browser's preferred languages in order.
        order: ['localStorage', 'navigator'],
        lookupLocalStorage: CHOICE,
        // Only a choice made with the switch is kept (chooseLanguage): a page the browser
        // put in Chinese follows the browser if its preference changes later.
        caches: [],
        convertDetectedLanguage: supportedLanguageOf,
      },
    });
  return i18next;
}

/** The steward's choice: the page switches at once, and every page of the hub opens in it from now on. */
export async function chooseLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
  try {
    localStorage.setItem(CHOICE, language);
  } catch {
    // Storage refused (private mode with storage off): the choice lasts as long as the page.
  }
}

/** A catalogue entry's name in the page's language (the graph carries both: `name` and `nameZh`). */
export function localName(entry: { name: string; nameZh?: string | null }, language = currentLanguage()): string {
  return language === 'zh-CN' && entry.nameZh ? entry.nameZh : entry.name;
}

export interface Format {
  language: Language;
  /** A count: 12,345 / 12,345. */
  count(n: number): string;
  /** Days with one decimal: 3.5. */
  days(n: number): string;
  /** A share of 0..1 as a whole percentage: 87% / 87%. */
  percent(share: number): string;
  /** A moment, date and time: 1 Dec 2026, 13:16 / 2026年12月1日 13:16. */
  dateTime(iso: string): string;
  /** A day: 1 Dec 2026 / 2026年12月1日. */
  date(iso: string): string;
  /** A catalogue entry's name in this language. */
  name(entry: { name: string; nameZh?: string | null }): string;
}

/** Intl formatters for the page's language, made again only when it changes. */
export function useFormat(): Format {
  const { i18n } = useTranslation('common');
  const language: Language = i18n.resolvedLanguage === 'zh-CN' ? 'zh-CN' : 'en';
  return useMemo(() => {
    const count = new Intl.NumberFormat(language);
    const days = new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 });
    const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(language, { dateStyle: 'medium' });
    return {
      language,
      count: (n) => count.format(n),
      days: (n) => days.format(n),
      percent: (share) => percent.format(share),
      dateTime: (iso) => dateTime.format(new Date(iso)),
      date: (iso) => date.format(new Date(iso)),
      name: (entry) => localName(entry, language),
    };
  }, [language]);
}
