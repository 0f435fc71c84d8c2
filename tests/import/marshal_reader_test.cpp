#include "marshal_bytes.h"
#include "marshal_reader.h"

#include "hprof/error.h"

#include <gtest/gtest.h>

namespace hprof {
namespace {

using namespace test::marshal;
using Kind = MarshalValue::Kind;

TEST(MarshalReader, ReadsTheTypesOfAPstatsFile) {
    const MarshalPointer value =
        readMarshal(dict({{tuple({shortText("a.py"), integer(3), text("f")}),
                           tuple({integer(1), integer(2), real(0.5), real(1.25), dict({})})}}));
    ASSERT_EQ(value->kind, Kind::Dict);
    ASSERT_EQ(value->items.size(), 2u);
    const MarshalValue& key = *value->items[0];
    ASSERT_EQ(key.kind, Kind::Tuple);
    EXPECT_EQ(key.items[0]->text, "a.py");
    EXPECT_EQ(key.items[1]->integer, 3);
    EXPECT_EQ(key.items[2]->text, "f");
    const MarshalValue& stats = *value->items[1];
    EXPECT_EQ(stats.items[1]->integer, 2);
    EXPECT_DOUBLE_EQ(stats.items[3]->asDouble(), 1.25);
    EXPECT_EQ(stats.items[4]->kind, Kind::Dict);
}

// CPython numbers the objects it flags in the order their type bytes appear, containers before
// their contents.
TEST(MarshalReader, FollowsBackReferencesInCPythonsOrder) {
    const std::string outer = kept(tuple({kept(shortText("x")), reference(1), reference(1)}));
    const MarshalPointer value = readMarshal(tuple({outer, reference(0)}));
    ASSERT_EQ(value->items.size(), 2u);
    EXPECT_EQ(value->items[0]->items[2]->text, "x");
    EXPECT_EQ(value->items[1]->items[1]->text, "x");
}

TEST(MarshalReader, ReadsBigIntegers) {
    // 2^40 + 5: digits (base 2^15) 5, 0, 1024.
    const std::string big = "l" + int32Bytes(3) + std::string("\x05\x00\x00\x00\x00\x04", 6);
    EXPECT_EQ(readMarshal(big)->integer, (int64_t(1) << 40) + 5);
    const std::string negative = "l" + int32Bytes(-1) + std::string("\x07\x00", 2);
    EXPECT_EQ(readMarshal(negative)->integer, -7);
}

void expectError(const std::string& bytes, const std::string& expected) {
    try {
        readMarshal(bytes);
        FAIL() << "no error for " << expected;
    } catch (const Error& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find(expected), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

TEST(MarshalReader, RefusesWhatIsNotWellFormed) {
    const std::string whole = dict(
        {{tuple({shortText("a.py"), integer(3), text("f")}), tuple({integer(1), integer(2)})}});
    for (size_t cut = 0; cut < whole.size(); ++cut)
        expectError(whole.substr(0, cut), "truncated");
    expectError(whole + "x", "unexpected bytes after the data");
    expectError("c", "unsupported type code");
    expectError(reference(0), "bad back-reference 0");
    expectError("u" + int32Bytes(1000) + "ab", "an object of 1000 at byte 5 runs past the end");
    expectError("(" + int32Bytes(-1), "bad length -1");
    std::string deep;
    for (int i = 0; i < 100; ++i)
        deep += tuple({}).substr(0, 1) + std::string(1, '\x01');
    expectError(deep + "N", "nested too deep");
    const std::string too_big = "l" + int32Bytes(6) + std::string(12, '\x7f');
    expectError(too_big, "integer too large");
}

} // namespace
} // namespace hprof
