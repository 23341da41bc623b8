// CSV: veristat's column names first, one row per program, and RFC 4180 quoting that a strict
// parser reads back to the original strings.
#include "render.h"
#include "sample_reports.h"

#include <doctest/doctest.h>

namespace bpfcheck::test {
namespace {

using Row = std::vector<std::string>;

// A strict RFC 4180 reader: quoted fields may hold commas, doubled quotes and newlines.
std::vector<Row> parse_csv(const std::string &text) {
  std::vector<Row> rows;
  Row row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      REQUIRE_MESSAGE(field.empty(), "quote inside an unquoted field");
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field += c;
    }
  }
  REQUIRE_FALSE(quoted);
  REQUIRE_MESSAGE(field.empty(), "the last row lacks its newline");
  return rows;
}

} // namespace

TEST_CASE("csv: veristat's columns, then ours") {
  auto rows = parse_csv(render_csv(rejected_report(), sample_csv_options()));
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == Row{"file_name", "prog_name", "verdict", "duration", "total_insns",
                       "total_states", "peak_states", "section", "prog_type", "first_rule",
                       "first_line", "first_message"});
  CHECK(rows[1] == Row{"build/xdp_parse.o", "xdp_proto_stats", "failure", "412", "98", "", "",
                       "xdp", "xdp", "packet-out-of-bounds", "xdp_parse.c:21",
                       "read of 2 bytes at packet offset 12 not proven below data_end"});
  CHECK(rows[2][2] == "success");
  CHECK(rows[2][9].empty());
}

TEST_CASE("csv: states are printed when known") {
  auto rows = parse_csv(render_csv(verified_report(), sample_csv_options()));
  REQUIRE(rows.size() == 2);
  CHECK(rows[1][5] == "41");
  CHECK(rows[1][6] == "12");
}

TEST_CASE("csv: every row has the header's column count") {
  for (const Report &report :
       {verified_report(), rejected_report(), input_error_report(), awkward_report()}) {
    auto rows = parse_csv(render_csv(report, sample_csv_options()));
    REQUIRE(rows.size() == report.programs.size() + 1);
    for (const Row &row : rows) {
      CHECK(row.size() == rows[0].size());
    }
  }
}

TEST_CASE("csv: commas, quotes and newlines round-trip") {
  Report report = awkward_report();
  auto rows = parse_csv(render_csv(report, sample_csv_options()));
  REQUIRE(rows.size() == 2);
  CHECK(rows[1][0] == "dir with space/a,b.o");
  CHECK(rows[1][1] == report.programs[0].name);
  CHECK(rows[1][7] == report.programs[0].section);
  CHECK(rows[1][10] == "dir with space/a,b.c:7");
  CHECK(rows[1][11] == report.programs[0].diagnostics[0].message);
}

} // namespace bpfcheck::test
