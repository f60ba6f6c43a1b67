#pragma once
// RFC 4180 CSV for inventory import and export.
//
// Rules:
//  - Fields are separated by ','; records end at LF or CRLF. Quoted fields may hold commas, doubled
//    quotes ("") and line breaks, which are kept byte for byte. Unquoted text is kept as is (no trimming).
//  - A malformed record does not stop the reader: next() returns it with `error` set and carries on at the
//    next physical line, so an import can list every bad row with its line number and go on.
//  - Line numbers are 1-based physical lines (LF count + 1), counted inside quoted fields too; column
//    numbers in messages are 1-based field indexes.
//  - A Reader is not shared between threads; quote() and formatRow() are pure and thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::core::csv {

/// One record as read, or the reason it could not be read.
struct Record {
    std::size_t line = 0;            ///< 1-based physical line where the record starts
    std::vector<std::string> fields; ///< unquoted values; empty when `error` is set
    std::string error;               ///< non-empty when this record is malformed
};

/// Single-pass CSV reader over text held by the caller.
///
/// Errors (the record is reported, then reading resumes at the next physical line):
///  - "unexpected quote in unquoted field, column N"      e.g. `a,b"c`
///  - "unexpected character after closing quote, column N" e.g. `"a"b`
///  - "stray carriage return"                              a CR not followed by LF (a CR just before
///                                                         the end of input is accepted as a line end)
///  - "NUL byte in record"
///  - "unterminated quoted field starting at line N"       the quote never closes, or it "closes" on a
///    later line and is followed by text (a stray quote that paired with one in a later row). The record
///    is taken to end with the line where the quote opened and reading resumes on the line after it, so
///    one bad quote costs one row instead of the rest of the file.
class Reader {
public:
    /// Non-owning: `data` must outlive the reader. A UTF-8 byte order mark at the start is skipped.
    explicit Reader(std::string_view data) noexcept;

    /// The next record, or std::nullopt at the end of input. Blank lines (empty or only CR) are skipped.
    std::optional<Record> next();

private:
    std::string_view m_data;
    std::size_t m_pos = 0;
    std::size_t m_line = 1;
};

/// `field` as a CSV field: quoted, with quotes doubled, when it holds ',', '"', CR or LF or starts or ends
/// with a space; unchanged otherwise. NUL bytes cannot be written (the reader rejects them).
std::string quote(std::string_view field);

/// The fields quoted and joined with ',', terminated by "\n". A single empty field is written as `""` so
/// the row does not read back as a skipped blank line; an empty vector gives "\n" (which reads back as nothing).
std::string formatRow(const std::vector<std::string>& fields);

} // namespace showroom::core::csv
