#pragma once
// Headless scenario scripts: one command per line, '#' starts a comment.
//
//   tap TARGET              press and release the widget with this id or visible label
//   type TEXT               type text into the focused field (the rest of the line, UTF-8)
//   key enter|tab|backspace press a key
//   drag TARGET DY          drag from the widget's centre by DY pixels (negative scrolls down)
//   scan TEXT               a keyboard-wedge scanner "types" TEXT and Enter, at scanner speed
//   scanner PAYLOAD         the configured virtual scanner (--scanner virtual) reads PAYLOAD; \r \n
//                           \t \\ and \xHH give control bytes (a licence's LF, RS, CR)
//   wait MS                 let MS milliseconds of kiosk time pass (timers, animations, idle reset)
//   expect NAME VALUE       a view-model value must equal VALUE (see KioskApp::probe)
//   await NAME VALUE        like expect, but waits (real time, at most 10 s) for background work
//                           such as the print spooler to make it so
//   screenshot NAME         write DIR/NAME.png of the current frame
//   settle                  wait (real time, at most 5 s) until background work such as photo
//                           decoding has finished and its results are on screen
//
// Pure parsing; the app executes the steps. Thread: any.

#include "showroom/core/result.hpp"

#include <string>
#include <vector>

namespace showroom::kiosk {

struct ScriptStep {
    enum class Kind { Tap, Type, Key, Drag, Wait, Expect, Await, Screenshot, Scan, Scanner, Settle };
    Kind kind;
    std::string target;   ///< tap/drag: widget; expect: name; screenshot: file name; key: key name
    std::string text;     ///< type: text; expect: wanted value; scanner: the payload, escapes decoded
    long long number = 0; ///< wait: ms; drag: dy; await: real-time limit in ms
    int line = 0;
};

/// Parses a script; a malformed line is InvalidInput naming its line number.
core::Result<std::vector<ScriptStep>> parseScript(const std::string& text);

} // namespace showroom::kiosk
