/* curses_compat.h - the only header that includes curses (ncursesw, wide
 * character API).  Only the terminal UI (src/tui/) includes it; the
 * data layer in libmemtop.a never does. */
#ifndef MEMTOP_CURSES_COMPAT_H
#define MEMTOP_CURSES_COMPAT_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#if defined(__has_include)
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif
#else
#include <curses.h>
#endif

#endif
