// The page's settings in its address bar, kept up to date as the cards
// change, and a "Copy link" button that hands the address to the clipboard.
import { type PageShare, type RaceShare, type TrainShare, decodeShare, encodeShare } from '../../src/share/url-state.js';

/** The settings shown in the address bar. */
export interface ShareStore {
  /** What the address held when the page loaded. */
  readonly initial: PageShare;
  /** What in the address could not be used. */
  readonly problems: readonly string[];
  setTrain(train: TrainShare): void;
  setRace(race: RaceShare): void;
}

/** Reads the address and keeps it in step with the cards (replacing, not adding, history entries). */
export function createShareStore(): ShareStore {
  const { share, problems } = decodeShare(location.search);
  const current: PageShare = { train: { ...share.train }, race: { ...share.race } };
  const write = () => history.replaceState(null, '', `${location.pathname}${encodeShare(current)}${location.hash}`);
  return {
    initial: share,
    problems,
    setTrain(train) {
      current.train = train;
      write();
    },
    setRace(race) {
      current.race = race;
      write();
    },
  };
}

/** Builds the "Copy link" button with its status line. */
export function createCopyLink(): HTMLElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy-link';
  button.textContent = 'Copy link';
  button.title = 'a link to this page with the current training settings and race';
  button.dataset['testid'] = 'copy-link';
  const note = document.createElement('span');
  note.className = 'copy-link-note';
  note.setAttribute('role', 'status');
  note.dataset['testid'] = 'copy-link-note';
  button.addEventListener('click', async () => {
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      note.textContent = 'Link copied: it opens the page with these settings.';
    } catch {
      // No clipboard (an insecure origin, or permission refused): show the link to copy by hand.
      note.textContent = `Copy this link: ${url}`;
    }
    note.dataset['url'] = url;
  });
  const wrap = document.createElement('div');
  wrap.className = 'copy-link-wrap';
  wrap.append(button, note);
  return wrap;
}
