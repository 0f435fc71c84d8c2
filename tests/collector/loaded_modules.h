// The modules mapped into the calling process, as libprobe reports them in ModuleLoad
// records: load bias, runtime range of the PT_LOAD segments, GNU build id, path ("" for the
// main program). Used by the fixture program and the benchmark to produce real addresses.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <elf.h>
#include <link.h>
#include <string>
#include <vector>

namespace hprof::testing {

struct LoadedModule {
    std::string path;
    uint64_t load_bias = 0;
    uint64_t start = UINT64_MAX;
    uint64_t end = 0;
    std::vector<uint8_t> build_id;
    std::vector<std::pair<uint64_t, uint64_t>> code; // executable [start, end) ranges
};

inline std::vector<uint8_t> buildIdOf(const dl_phdr_info& info, const ElfW(Phdr) & phdr) {
    const auto* note = reinterpret_cast<const uint8_t*>(info.dlpi_addr + phdr.p_vaddr);
    const uint8_t* const end = note + phdr.p_memsz;
    while (note + sizeof(ElfW(Nhdr)) <= end) {
        const auto* header = reinterpret_cast<const ElfW(Nhdr)*>(note);
        const uint8_t* name = note + sizeof(ElfW(Nhdr));
        const uint8_t* desc = name + ((header->n_namesz + 3) & ~3u);
        if (header->n_type == NT_GNU_BUILD_ID && header->n_namesz == 4 &&
            std::memcmp(name, "GNU", 4) == 0)
            return std::vector<uint8_t>(desc, desc + header->n_descsz);
        note = desc + ((header->n_descsz + 3) & ~3u);
    }
    return {};
}

inline std::vector<LoadedModule> loadedModules() {
    std::vector<LoadedModule> modules;
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* data) {
            LoadedModule module;
            module.path = info->dlpi_name ? info->dlpi_name : "";
            module.load_bias = info->dlpi_addr;
            for (int i = 0; i < info->dlpi_phnum; ++i) {
                const ElfW(Phdr)& phdr = info->dlpi_phdr[i];
                if (phdr.p_type == PT_NOTE && module.build_id.empty())
                    module.build_id = buildIdOf(*info, phdr);
                if (phdr.p_type != PT_LOAD)
                    continue;
                const uint64_t start = info->dlpi_addr + phdr.p_vaddr;
                const uint64_t end = start + phdr.p_memsz;
                module.start = std::min(module.start, start);
                module.end = std::max(module.end, end);
                if (phdr.p_flags & PF_X)
                    module.code.emplace_back(start, end);
            }
            static_cast<std::vector<LoadedModule>*>(data)->push_back(module);
            return 0;
        },
        &modules);
    return modules;
}

} // namespace hprof::testing
