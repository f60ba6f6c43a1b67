#include "showroom/core/csv.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::core::csv {
namespace {

using Fields = std::vector<std::string>;

std::vector<Record> readAll(std::string_view data) {
    Reader reader(data);
    std::vector<Record> records;
    while (auto record = reader.next())
        records.push_back(std::move(*record));
    return records;
}

// Asserts a good record; the message names the line so a failure points at the input row.
void expectRow(const Record& record, std::size_t line, const Fields& fields) {
    EXPECT_EQ(record.line, line);
    EXPECT_EQ(record.error, "") << "record at line " << record.line;
    EXPECT_EQ(record.fields, fields) << "record at line " << record.line;
}

void expectError(const Record& record, std::size_t line, std::string_view error) {
    EXPECT_EQ(record.line, line);
    EXPECT_EQ(record.error, error) << "record at line " << record.line;
}

TEST(CsvReader, ReadsSimpleRows) {
    const auto records = readAll("vin,make,price\n1HGCM82633A004352,Honda,21500.00\n");
    ASSERT_EQ(records.size(), 2u);
    expectRow(records[0], 1, {"vin", "make", "price"});
    expectRow(records[1], 2, {"1HGCM82633A004352", "Honda", "21500.00"});
}

TEST(CsvReader, EmptyInputHasNoRecords) {
    EXPECT_TRUE(readAll("").empty());
    EXPECT_TRUE(readAll("\n\r\n\n").empty());
    EXPECT_TRUE(readAll("\xEF\xBB\xBF").empty());
}

TEST(CsvReader, AcceptsCrlf) {
    const auto records = readAll("a,b\r\nc,d\r\n\"e\r\nf\",g\r\nh,i\r\n");
    ASSERT_EQ(records.size(), 4u);
    expectRow(records[0], 1, {"a", "b"});
    expectRow(records[1], 2, {"c", "d"});
    expectRow(records[2], 3, {"e\r\nf", "g"}); // line breaks inside quotes are kept byte for byte
    expectRow(records[3], 5, {"h", "i"});
}

TEST(CsvReader, SkipsLeadingBomOnly) {
    const auto records = readAll("\xEF\xBB\xBFvin,make\nX,\xEF\xBB\xBFY\n");
    ASSERT_EQ(records.size(), 2u);
    expectRow(records[0], 1, {"vin", "make"});
    expectRow(records[1], 2, {"X", "\xEF\xBB\xBFY"});
}

TEST(CsvReader, QuotedFieldsHoldCommasQuotesAndNewlines) {
    const std::string data = "stock,notes\n"
                             "S1,\"Leather, sunroof\"\n"
                             "S2,\"The \"\"Sport\"\" trim\"\n"
                             "S3,\"line one\nline two\n\nline four\"\n"
                             "S4,plain\n"
                             "\"S5\nstill S5\",\"\"\n"
                             "S6,end\n";
    const auto records = readAll(data);
    ASSERT_EQ(records.size(), 7u);
    expectRow(records[0], 1, {"stock", "notes"});
    expectRow(records[1], 2, {"S1", "Leather, sunroof"});
    expectRow(records[2], 3, {"S2", "The \"Sport\" trim"});
    expectRow(records[3], 4, {"S3", "line one\nline two\n\nline four"});
    expectRow(records[4], 8, {"S4", "plain"});
    expectRow(records[5], 9, {"S5\nstill S5", ""});
    expectRow(records[6], 11, {"S6", "end"});
}

TEST(CsvReader, KeepsEmptyFieldsAndTrailingEmptyField) {
    const auto records = readAll("a,b,\n,,\n,x\n\"\"\n\"\",\"\"\n");
    ASSERT_EQ(records.size(), 5u);
    expectRow(records[0], 1, {"a", "b", ""});
    expectRow(records[1], 2, {"", "", ""});
    expectRow(records[2], 3, {"", "x"});
    expectRow(records[3], 4, {""});
    expectRow(records[4], 5, {"", ""});
}

TEST(CsvReader, KeepsSpacesInUnquotedFields) {
    const auto records = readAll(" a , b \n");
    ASSERT_EQ(records.size(), 1u);
    expectRow(records[0], 1, {" a ", " b "});
}

TEST(CsvReader, ReadsLastLineWithoutNewline) {
    const auto records = readAll("a,b\nc,d");
    ASSERT_EQ(records.size(), 2u);
    expectRow(records[1], 2, {"c", "d"});

    const auto quoted = readAll("a\n\"c,d\"");
    ASSERT_EQ(quoted.size(), 2u);
    expectRow(quoted[1], 2, {"c,d"});

    const auto trailingComma = readAll("a,");
    ASSERT_EQ(trailingComma.size(), 1u);
    expectRow(trailingComma[0], 1, {"a", ""});
}

TEST(CsvReader, AcceptsCrBeforeEndOfInput) {
    const auto records = readAll("a,b\r\nc,d\r");
    ASSERT_EQ(records.size(), 2u);
    expectRow(records[1], 2, {"c", "d"});
}

TEST(CsvReader, SkipsBlankLinesAndKeepsCounting) {
    const auto records = readAll("\n\r\na,b\n\n\r\n\r\nc,d\n\n");
    ASSERT_EQ(records.size(), 2u);
    expectRow(records[0], 3, {"a", "b"});
    expectRow(records[1], 7, {"c", "d"});
}

TEST(CsvReaderErrors, QuoteInUnquotedField) {
    const auto records = readAll("a,b\nS1,12\" wheels,x\nc,d\n");
    ASSERT_EQ(records.size(), 3u);
    expectRow(records[0], 1, {"a", "b"});
    expectError(records[1], 2, "unexpected quote in unquoted field, column 2");
    EXPECT_TRUE(records[1].fields.empty());
    expectRow(records[2], 3, {"c", "d"});
}

TEST(CsvReaderErrors, QuoteStartingAfterSpaceIsInsideUnquotedField) {
    const auto records = readAll("a, \"b\"\nc\n");
    ASSERT_EQ(records.size(), 2u);
    expectError(records[0], 1, "unexpected quote in unquoted field, column 2");
    expectRow(records[1], 2, {"c"});
}

TEST(CsvReaderErrors, TextAfterClosingQuote) {
    const auto records = readAll("a,b\n\"x\"y,z,\"w\nc,d\n");
    ASSERT_EQ(records.size(), 3u);
    expectError(records[1], 2, "unexpected character after closing quote, column 1");
    // The rest of line 2 (including its opening quote) is skipped, so line 3 still reads.
    expectRow(records[2], 3, {"c", "d"});
}

TEST(CsvReaderErrors, SpaceAfterClosingQuote) {
    const auto records = readAll("a,\"b\" ,c\nd\n");
    ASSERT_EQ(records.size(), 2u);
    expectError(records[0], 1, "unexpected character after closing quote, column 2");
    expectRow(records[1], 2, {"d"});
}

TEST(CsvReaderErrors, StrayCarriageReturn) {
    const auto records = readAll("a,b\nc\rd,e\n\"q\"\rx\nf,g\n");
    ASSERT_EQ(records.size(), 4u);
    expectError(records[1], 2, "stray carriage return");
    expectError(records[2], 3, "stray carriage return");
    expectRow(records[3], 4, {"f", "g"});
}

TEST(CsvReaderErrors, NulByte) {
    using namespace std::string_literals;
    const std::string data = "a,b\nc,d\0e\n\"x\0\ny\",z\nf,g\n"s;
    const auto records = readAll(data);
    ASSERT_EQ(records.size(), 4u);
    expectError(records[1], 2, "NUL byte in record");
    EXPECT_TRUE(records[1].fields.empty());
    // A NUL inside a quoted field spanning lines: the record is still read to its real end.
    expectError(records[2], 3, "NUL byte in record");
    expectRow(records[3], 5, {"f", "g"});
}

TEST(CsvReaderErrors, UnterminatedQuoteAtEndOfInput) {
    const auto records = readAll("a,b\nc,\"never closed\nd,e\nf,g");
    ASSERT_EQ(records.size(), 4u);
    expectRow(records[0], 1, {"a", "b"});
    expectError(records[1], 2, "unterminated quoted field starting at line 2");
    expectRow(records[2], 3, {"d", "e"});
    expectRow(records[3], 4, {"f", "g"});
}

TEST(CsvReaderErrors, UnterminatedQuoteOnLastLine) {
    const auto records = readAll("a\n\"b");
    ASSERT_EQ(records.size(), 2u);
    expectError(records[1], 2, "unterminated quoted field starting at line 2");
}

TEST(CsvReaderErrors, UnterminatedQuoteInMiddleKeepsFollowingRows) {
    std::string data = "stock,notes,price\n";
    data += "S1,\"ok\",100\n";
    data += "S2,\"missing end quote,200\n"; // line 3
    for (int i = 4; i <= 9; ++i)
        data += "S" + std::to_string(i - 1) + ",plain," + std::to_string(i) + "\n";
    const auto records = readAll(data);
    ASSERT_EQ(records.size(), 9u);
    expectRow(records[1], 2, {"S1", "ok", "100"});
    expectError(records[2], 3, "unterminated quoted field starting at line 3");
    for (std::size_t i = 3; i < records.size(); ++i)
        expectRow(records[i], i + 1, {"S" + std::to_string(i), "plain", std::to_string(i + 1)});
}

TEST(CsvReaderErrors, UnterminatedQuoteFollowedByQuotedRows) {
    // The stray quote on line 2 pairs with the first quote on line 3; the rows after it must survive.
    const std::string data = "a,b\n"
                             "S1,\"no end\n"
                             "S2,\"Smith, John\"\n"
                             "S3,\"x\"\"y\"\n"
                             "S4,z\n";
    const auto records = readAll(data);
    ASSERT_EQ(records.size(), 5u);
    expectError(records[1], 2, "unterminated quoted field starting at line 2");
    expectRow(records[2], 3, {"S2", "Smith, John"});
    expectRow(records[3], 4, {"S3", "x\"y"});
    expectRow(records[4], 5, {"S4", "z"});
}

TEST(CsvReaderErrors, ErrorAfterMultiLineFieldKeepsLineNumbers) {
    const auto records = readAll("\"a\nb\",c\"d\ne,f\n");
    ASSERT_EQ(records.size(), 2u);
    expectError(records[0], 1, "unexpected quote in unquoted field, column 2");
    expectRow(records[1], 3, {"e", "f"});
}

TEST(CsvQuote, QuotesOnlyWhenNeeded) {
    EXPECT_EQ(quote("Honda"), "Honda");
    EXPECT_EQ(quote(""), "");
    EXPECT_EQ(quote("a b"), "a b");
    EXPECT_EQ(quote("Leather, sunroof"), "\"Leather, sunroof\"");
    EXPECT_EQ(quote("12\" wheels"), "\"12\"\" wheels\"");
    EXPECT_EQ(quote("\"\""), "\"\"\"\"\"\"");
    EXPECT_EQ(quote("a\nb"), "\"a\nb\"");
    EXPECT_EQ(quote("a\rb"), "\"a\rb\"");
    EXPECT_EQ(quote(" lead"), "\" lead\"");
    EXPECT_EQ(quote("trail "), "\"trail \"");
}

TEST(CsvQuote, FormatRowJoinsAndTerminates) {
    EXPECT_EQ(formatRow({"a", "b,c", ""}), "a,\"b,c\",\n");
    EXPECT_EQ(formatRow({""}), "\"\"\n");
    EXPECT_EQ(formatRow({"", ""}), ",\n");
    EXPECT_EQ(formatRow({}), "\n");
}

TEST(CsvQuote, RoundTripsTrickyValuesThroughReader) {
    const std::vector<Fields> rows = {
        {"stock", "notes", "price"},
        {"S1", "Leather, sunroof, \"Sport\" trim", "21500.00"},
        {"S2", "line one\nline two\r\nline three\n", ""},
        {" leading", "trailing ", " both "},
        {""},
        {"", "", ""},
        {"\"", "\"\"", ",", "\n", "\r\n", " "},
        {"丰田 卡罗拉", "白色，真皮座椅", "¥128,000", "\"引号\""},
        {"last"},
    };
    std::string data;
    for (const Fields& row : rows)
        data += formatRow(row);

    const auto records = readAll(data);
    ASSERT_EQ(records.size(), rows.size());
    std::size_t expectedLine = 1;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        expectRow(records[i], expectedLine, rows[i]);
        const std::string written = formatRow(rows[i]);
        for (const char ch : written)
            if (ch == '\n') ++expectedLine;
    }
}

TEST(CsvReader, ReadsOneHundredThousandRows) {
    constexpr std::size_t kRows = 100'000;
    std::string data = formatRow({"stock", "vin", "make", "model", "notes", "price"});
    for (std::size_t i = 0; i < kRows; ++i) {
        const std::string n = std::to_string(i);
        data += formatRow({"S" + n, "1HGCM82633A" + n, "Honda", "Accord", i % 7 == 0 ? "one, \"two\"" : "", n + ".00"});
    }

    Reader reader(data);
    ASSERT_TRUE(reader.next().has_value()); // header
    std::size_t count = 0;
    std::size_t errors = 0;
    while (auto record = reader.next()) {
        if (!record->error.empty() || record->fields.size() != 6) ++errors;
        if (record->line != count + 2) ++errors;
        ++count;
    }
    EXPECT_EQ(count, kRows);
    EXPECT_EQ(errors, 0u);
}

} // namespace
} // namespace showroom::core::csv
