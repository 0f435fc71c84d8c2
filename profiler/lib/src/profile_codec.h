// The payload of each *.hprof section (docs/profile-format.md), and the reference check that
// both the writer and the reader apply so that every id in a Profile points into its table.
#pragma once

#include "byte_codec.h"
#include "hprof/profile.h"

#include <string_view>
#include <vector>

namespace hprof {

struct SectionCodec {
    std::string_view tag;  // four ASCII bytes
    uint32_t since_schema; // files of an older schema do not have this section
    void (*encode)(const Profile& profile, ByteWriter& out);
    // Reads profile.run.schema_version, which holds the schema of the file being read.
    void (*decode)(ByteReader& in, Profile& profile);
};

// All sections of the current schema, in the order the writer emits them.
const std::vector<SectionCodec>& sectionCodecs();

// Throws hprof::Error naming the first id that points outside its table, or a stack node whose
// parent does not come before it (which keeps every stack walk finite).
void checkReferences(const Profile& profile);

} // namespace hprof
