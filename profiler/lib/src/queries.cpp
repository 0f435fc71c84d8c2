#include "hprof/queries.h"

#include "hprof/error.h"

#include <algorithm>
#include <cctype>

namespace hprof {
namespace {

// Orders by the key (descending for numbers); unknown call counts sort last. Ties fall through
// to tottime (for ncalls), then to the name, then to the id, so the order is always the same.
class FunctionOrder {
  public:
    FunctionOrder(const Profile& profile, SortKey key) : profile_(profile), key_(key) {}

    bool operator()(const FunctionStats& a, const FunctionStats& b) const {
        if (int byKey = compareKey(a, b))
            return byKey < 0;
        if (int byName =
                profile_.function(a.function).name.compare(profile_.function(b.function).name))
            return byName < 0;
        return a.function < b.function;
    }

  private:
    // Negative when a comes first, positive when b does, 0 on a tie.
    int compareKey(const FunctionStats& a, const FunctionStats& b) const {
        switch (key_) {
        case SortKey::TotTime:
            return descending(a.self_ns, b.self_ns);
        case SortKey::CumTime:
            return descending(a.total_ns, b.total_ns);
        case SortKey::NCalls:
            if (a.ncalls.has_value() != b.ncalls.has_value())
                return a.ncalls.has_value() ? -1 : 1;
            if (int byCalls = descending(a.ncalls.value_or(0), b.ncalls.value_or(0)))
                return byCalls;
            return descending(a.self_ns, b.self_ns);
        case SortKey::Name:
            return 0;
        }
        return 0;
    }

    template <class T> static int descending(T a, T b) { return a > b ? -1 : (a < b ? 1 : 0); }

    const Profile& profile_;
    SortKey key_;
};

std::string lowered(std::string text) {
    for (char& c : text)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

} // namespace

void sortFunctionStats(const Profile& profile, std::vector<FunctionStats>& stats, SortKey key) {
    std::sort(stats.begin(), stats.end(), FunctionOrder(profile, key));
}

NameMatcher::NameMatcher(std::string pattern, Kind kind, bool case_sensitive)
    : pattern_(std::move(pattern)), kind_(kind), case_sensitive_(case_sensitive) {
    if (kind_ == Kind::Substring)
        return;
    auto flags = std::regex::ECMAScript;
    if (!case_sensitive_)
        flags |= std::regex::icase;
    try {
        regex_.emplace(pattern_, flags);
    } catch (const std::regex_error& error) {
        throw Error("bad regular expression '" + pattern_ + "': " + error.what());
    }
}

bool NameMatcher::matches(const std::string& text) const {
    if (regex_)
        return std::regex_search(text, *regex_);
    if (case_sensitive_)
        return text.find(pattern_) != std::string::npos;
    return lowered(text).find(lowered(pattern_)) != std::string::npos;
}

} // namespace hprof
