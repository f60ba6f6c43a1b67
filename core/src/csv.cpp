#include "showroom/core/csv.hpp"

#include <array>
#include <cstring>

namespace showroom::core::csv {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Byte tables let the hot loops copy a whole run of ordinary text with one append instead of comparing
// every byte against several characters: this is what keeps large imports fast without regex or SIMD.
constexpr std::array<bool, 256> makeStopTable(std::string_view stops) {
    std::array<bool, 256> table{};
    for (const char ch : stops)
        table[static_cast<unsigned char>(ch)] = true;
    return table;
}
constexpr auto kUnquotedStops = makeStopTable(std::string_view(",\"\r\n\0", 5));
constexpr auto kQuotedStops = makeStopTable(std::string_view("\"\n\0", 3));

bool isStop(const std::array<bool, 256>& table, char ch) {
    return table[static_cast<unsigned char>(ch)];
}

// Blank lines are skipped only between records; inside a quoted field an empty line is data.
void skipBlankLines(std::string_view data, std::size_t& pos, std::size_t& line) {
    while (pos < data.size()) {
        std::size_t p = pos;
        while (p < data.size() && data[p] == '\r')
            ++p;
        if (p == data.size()) {
            pos = p;
            return;
        }
        if (data[p] != '\n') return;
        pos = p + 1;
        ++line;
    }
}

enum class FieldEnd { Comma, Record, Failed };

// Parses one record from `pos` and leaves `pos`/`line` at the start of whatever follows it, including
// after an error, so the Reader itself never has to know how a record went wrong.
class RecordParser {
public:
    RecordParser(std::string_view data, std::size_t& pos, std::size_t& line, Record& record)
        : m_data(data), m_pos(pos), m_line(line), m_record(record) {}

    void run() {
        for (;;) {
            std::string& field = m_record.fields.emplace_back();
            const std::size_t column = m_record.fields.size();
            const bool quoted = m_pos < m_data.size() && m_data[m_pos] == '"';
            const FieldEnd end = quoted ? quotedField(field, column) : unquotedField(field, column);
            if (end == FieldEnd::Comma) continue;
            // A NUL does not break the structure, so the record is read to its real end first; a
            // structural error found later explains the skipped text better and takes precedence.
            if (end == FieldEnd::Record && m_sawNul) m_record.error = "NUL byte in record";
            if (!m_record.error.empty()) m_record.fields.clear();
            return;
        }
    }

private:
    FieldEnd unquotedField(std::string& field, std::size_t column) {
        const char* const s = m_data.data();
        const std::size_t n = m_data.size();
        for (;;) {
            const std::size_t start = m_pos;
            while (m_pos < n && !isStop(kUnquotedStops, s[m_pos]))
                ++m_pos;
            field.append(s + start, m_pos - start);
            if (m_pos < n && s[m_pos] == '\0') {
                m_sawNul = true;
                ++m_pos;
                continue;
            }
            if (m_pos < n && s[m_pos] == '"')
                return failAndSkipLine("unexpected quote in unquoted field, column " + std::to_string(column));
            return terminator();
        }
    }

    FieldEnd quotedField(std::string& field, std::size_t column) {
        const char* const s = m_data.data();
        const std::size_t n = m_data.size();
        const std::size_t quotePos = m_pos;
        const std::size_t quoteLine = m_line;
        ++m_pos;
        for (;;) {
            const std::size_t start = m_pos;
            while (m_pos < n && !isStop(kQuotedStops, s[m_pos]))
                ++m_pos;
            field.append(s + start, m_pos - start);
            if (m_pos == n) return failUnterminated(quotePos, quoteLine);
            const char ch = s[m_pos++];
            if (ch == '"') {
                if (m_pos < n && s[m_pos] == '"') {
                    field.push_back('"');
                    ++m_pos;
                    continue;
                }
                break;
            }
            if (ch == '\n')
                ++m_line;
            else
                m_sawNul = true;
            field.push_back(ch);
        }
        if (m_pos == n || s[m_pos] == ',' || s[m_pos] == '\n' || s[m_pos] == '\r') return terminator();
        // Text after a quote that "closed" on a later line almost always means the opening quote was
        // never closed and paired with a quote in a following row; resynchronising at the opening line
        // keeps those following rows instead of reporting a confusing error somewhere inside them.
        if (m_line != quoteLine) return failUnterminated(quotePos, quoteLine);
        return failAndSkipLine("unexpected character after closing quote, column " + std::to_string(column));
    }

    // Precondition: at the end of input or at ',', CR or LF.
    FieldEnd terminator() {
        const std::size_t n = m_data.size();
        if (m_pos == n) return FieldEnd::Record;
        switch (m_data[m_pos]) {
        case ',': ++m_pos; return FieldEnd::Comma;
        case '\n':
            ++m_pos;
            ++m_line;
            return FieldEnd::Record;
        default: break;
        }
        // A CR right before the end of input is a CRLF file whose last LF was lost, not a stray CR.
        if (m_pos + 1 == n) {
            ++m_pos;
            return FieldEnd::Record;
        }
        if (m_data[m_pos + 1] == '\n') {
            m_pos += 2;
            ++m_line;
            return FieldEnd::Record;
        }
        return failAndSkipLine("stray carriage return");
    }

    FieldEnd failAndSkipLine(std::string message) {
        m_record.error = std::move(message);
        skipPastLineEnd();
        return FieldEnd::Failed;
    }

    FieldEnd failUnterminated(std::size_t quotePos, std::size_t quoteLine) {
        m_record.error = "unterminated quoted field starting at line " + std::to_string(quoteLine);
        m_pos = quotePos;
        m_line = quoteLine;
        skipPastLineEnd();
        return FieldEnd::Failed;
    }

    void skipPastLineEnd() {
        const std::size_t n = m_data.size();
        const void* lf = m_pos < n ? std::memchr(m_data.data() + m_pos, '\n', n - m_pos) : nullptr;
        if (lf == nullptr) {
            m_pos = n;
            return;
        }
        m_pos = static_cast<std::size_t>(static_cast<const char*>(lf) - m_data.data()) + 1;
        ++m_line;
    }

    std::string_view m_data;
    std::size_t& m_pos;
    std::size_t& m_line;
    Record& m_record;
    bool m_sawNul = false;
};

bool needsQuotes(std::string_view field) {
    if (field.empty()) return false;
    if (field.front() == ' ' || field.back() == ' ') return true;
    return field.find_first_of(",\"\r\n") != std::string_view::npos;
}

void appendField(std::string& out, std::string_view field) {
    if (!needsQuotes(field)) {
        out.append(field);
        return;
    }
    out.push_back('"');
    for (;;) {
        const std::size_t q = field.find('"');
        out.append(field.substr(0, q));
        if (q == std::string_view::npos) break;
        out.append("\"\"");
        field.remove_prefix(q + 1);
    }
    out.push_back('"');
}

} // namespace

Reader::Reader(std::string_view data) noexcept : m_data(data) {
    if (m_data.starts_with(kUtf8Bom)) m_pos = kUtf8Bom.size();
}

std::optional<Record> Reader::next() {
    skipBlankLines(m_data, m_pos, m_line);
    if (m_pos >= m_data.size()) return std::nullopt;
    Record record;
    record.line = m_line;
    RecordParser(m_data, m_pos, m_line, record).run();
    return record;
}

std::string quote(std::string_view field) {
    std::string out;
    out.reserve(field.size() + 2);
    appendField(out, field);
    return out;
}

std::string formatRow(const std::vector<std::string>& fields) {
    // A lone empty field would be written as an empty line, which readers skip as blank.
    if (fields.size() == 1 && fields.front().empty()) return "\"\"\n";
    std::size_t size = fields.size() + 1;
    for (const std::string& field : fields)
        size += field.size() + 2;
    std::string out;
    out.reserve(size);
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i != 0) out.push_back(',');
        appendField(out, fields[i]);
    }
    out.push_back('\n');
    return out;
}

} // namespace showroom::core::csv
