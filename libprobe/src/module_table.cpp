#include "module_table.h"
#include "fork_safe_mutex.h"
#include "raw_writer.h"
#include "signal_safe.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <elf.h>
#include <link.h>
#include <mutex>

namespace hprof::probe {
namespace {

constexpr size_t kMaxModules = 1024;
constexpr size_t kMaxPath = 1024;
constexpr uint8_t kTableEncoding = 0x3b; // DW_EH_PE_datarel | DW_EH_PE_sdata4

// The published table. Readers copy entries between two reads of `sequence`; an odd sequence
// means a writer is inside. Entries are plain data in static storage, so a torn read can give a
// wrong answer (rejected by the sequence check) but never a bad pointer.
struct PublishedTable {
    std::atomic<uint64_t> sequence{0};
    std::atomic<size_t> count{0};
    ModuleEntry entries[kMaxModules];
};
constinit PublishedTable g_table;

// What the last refresh saw, with the paths and build ids needed for records. Only touched
// under g_refresh_mutex.
struct KnownModule {
    ModuleEntry entry;
    char name[kMaxPath] = {}; // a copy: the loader frees its own once the module is unloaded
};
constinit KnownModule g_known[kMaxModules];
constinit size_t g_known_count = 0;
constinit KnownModule g_scan[kMaxModules];
constinit size_t g_scan_count = 0;

// Recursive: a library constructor run by the dlopen wrapper may dlopen or fork itself.
constinit ForkSafeMutex g_refresh_mutex{true};

uint64_t readEncodedPointer(const uint8_t*& p, uint8_t encoding, uint64_t data_base) {
    // .eh_frame_hdr in practice uses pcrel|sdata4 for eh_frame_ptr and udata4 for the count.
    uint64_t value = 0;
    const uint8_t* start = p;
    switch (encoding & 0x0f) {
    case 0x03: // udata4
        value = *reinterpret_cast<const uint32_t*>(p);
        p += 4;
        break;
    case 0x0b: // sdata4
        value = uint64_t(int64_t(*reinterpret_cast<const int32_t*>(p)));
        p += 4;
        break;
    case 0x04: // udata8
    case 0x0c: // sdata8
        value = *reinterpret_cast<const uint64_t*>(p);
        p += 8;
        break;
    default:
        return 0;
    }
    switch (encoding & 0x70) {
    case 0x10: // pcrel
        value += uint64_t(start);
        break;
    case 0x30: // datarel
        value += data_base;
        break;
    default:
        break;
    }
    return value;
}

void describeEhFrameHdr(ModuleEntry& entry, uint64_t hdr_address) {
    const auto* hdr = reinterpret_cast<const uint8_t*>(hdr_address);
    if (hdr[0] != 1 || hdr[3] != kTableEncoding)
        return;
    const uint8_t* p = hdr + 4;
    readEncodedPointer(p, hdr[1], hdr_address); // eh_frame_ptr, not needed by libunwind here
    uint64_t count = readEncodedPointer(p, hdr[2], hdr_address);
    entry.eh_frame_hdr = hdr_address;
    entry.search_table = uint64_t(p);
    entry.fde_count = count;
}

int collectModule(dl_phdr_info* info, size_t, void*) {
    if (g_scan_count == kMaxModules)
        return 1;
    ModuleEntry entry;
    entry.start = UINT64_MAX;
    entry.load_bias = info->dlpi_addr;
    for (int i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr)& ph = info->dlpi_phdr[i];
        if (ph.p_type == PT_LOAD) {
            entry.start = std::min<uint64_t>(entry.start, info->dlpi_addr + ph.p_vaddr);
            entry.end = std::max<uint64_t>(entry.end, info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
        }
    }
    if (entry.start == UINT64_MAX)
        return 0;
    for (int i = 0; i < info->dlpi_phnum; ++i) {
        if (info->dlpi_phdr[i].p_type == PT_GNU_EH_FRAME)
            describeEhFrameHdr(entry, info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
    }
    KnownModule& module = g_scan[g_scan_count++];
    module.entry = entry;
    const char* name = info->dlpi_name ? info->dlpi_name : "";
    size_t length = boundedLength(name, kMaxPath - 1);
    memcpy(module.name, name, length);
    module.name[length] = '\0';
    return 0;
}

// The GNU build id from the module's PT_NOTE segments, read from its mapped image.
size_t findBuildId(const ModuleEntry& entry, const uint8_t*& bytes) {
    const auto* ehdr = reinterpret_cast<const ElfW(Ehdr)*>(entry.start);
    if (memcmp(ehdr->e_ident, ELFMAG, SELFMAG) != 0)
        return 0;
    const auto* phdrs = reinterpret_cast<const ElfW(Phdr)*>(entry.start + ehdr->e_phoff);
    for (int i = 0; i < ehdr->e_phnum; ++i) {
        if (phdrs[i].p_type != PT_NOTE)
            continue;
        const auto* note = reinterpret_cast<const uint8_t*>(entry.load_bias + phdrs[i].p_vaddr);
        const uint8_t* end = note + phdrs[i].p_memsz;
        while (note + sizeof(ElfW(Nhdr)) <= end) {
            const auto* nhdr = reinterpret_cast<const ElfW(Nhdr)*>(note);
            const uint8_t* name = note + sizeof(ElfW(Nhdr));
            const uint8_t* desc = name + ((nhdr->n_namesz + 3) & ~3u);
            if (nhdr->n_type == NT_GNU_BUILD_ID && nhdr->n_namesz == 4 &&
                memcmp(name, "GNU", 4) == 0) {
                bytes = desc;
                return nhdr->n_descsz;
            }
            note = desc + ((nhdr->n_descsz + 3) & ~3u);
        }
    }
    return 0;
}

void writeModuleLoad(const KnownModule& module) {
    const uint8_t* build_id = nullptr;
    size_t build_id_size = findBuildId(module.entry, build_id);
    bool is_vdso = strncmp(module.name, "linux-vdso", 10) == 0;
    const char* path = is_vdso ? "[vdso]" : module.name;
    size_t path_length = strlen(path);
    auto* record =
        beginRecord(uint32_t(sizeof(raw::ModuleLoadRecord) + build_id_size + path_length + 1));
    if (!record)
        return;
    auto* load = reinterpret_cast<raw::ModuleLoadRecord*>(record);
    load->time_ns = monotonicNs();
    load->load_bias = module.entry.load_bias;
    load->start = module.entry.start;
    load->end = module.entry.end;
    load->build_id_size = uint32_t(build_id_size);
    auto* tail = reinterpret_cast<char*>(load + 1);
    memcpy(tail, build_id, build_id_size);
    memcpy(tail + build_id_size, path, path_length + 1);
    commitRecord(record, raw::RecordType::ModuleLoad);
}

void writeModuleUnload(const KnownModule& module) {
    auto* record = beginRecord(sizeof(raw::ModuleUnloadRecord));
    if (!record)
        return;
    auto* unload = reinterpret_cast<raw::ModuleUnloadRecord*>(record);
    unload->time_ns = monotonicNs();
    unload->start = module.entry.start;
    commitRecord(record, raw::RecordType::ModuleUnload);
}

bool sameModule(const KnownModule& a, const KnownModule& b) {
    return a.entry.start == b.entry.start && a.entry.end == b.entry.end &&
           a.entry.load_bias == b.entry.load_bias && strcmp(a.name, b.name) == 0;
}

bool contains(const KnownModule* list, size_t count, const KnownModule& module) {
    return std::any_of(list, list + count,
                       [&](const KnownModule& m) { return sameModule(m, module); });
}

// Publishes g_scan sorted by start address. Sorts indices: a KnownModule is a kilobyte.
void publish() {
    static uint16_t order[kMaxModules];
    for (size_t i = 0; i < g_scan_count; ++i)
        order[i] = uint16_t(i);
    std::sort(order, order + g_scan_count,
              [](uint16_t a, uint16_t b) { return g_scan[a].entry.start < g_scan[b].entry.start; });
    g_table.sequence.fetch_add(1, std::memory_order_acq_rel); // odd: readers back off
    std::atomic_thread_fence(std::memory_order_release);
    for (size_t i = 0; i < g_scan_count; ++i)
        g_table.entries[i] = g_scan[order[i]].entry;
    g_table.count.store(g_scan_count, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    g_table.sequence.fetch_add(1, std::memory_order_release);
}

} // namespace

void lockModuleChanges() {
    g_refresh_mutex.lock();
}
void unlockModuleChanges() {
    g_refresh_mutex.unlock();
}
void resetModuleLockInForkChild() {
    g_refresh_mutex.reinitializeInChild();
}

constinit uint64_t g_module_unload_epoch = 0;

void refreshModules() {
    std::lock_guard lock(g_refresh_mutex);
    g_scan_count = 0;
    dl_iterate_phdr(collectModule, nullptr);
    bool unloaded = false;
    for (size_t i = 0; i < g_known_count; ++i) {
        if (!contains(g_scan, g_scan_count, g_known[i])) {
            writeModuleUnload(g_known[i]);
            unloaded = true;
        }
    }
    if (unloaded) // after the records: a table started in the new epoch comes after them
        __atomic_fetch_add(&g_module_unload_epoch, 1, __ATOMIC_RELEASE);
    for (size_t i = 0; i < g_scan_count; ++i) {
        if (!contains(g_known, g_known_count, g_scan[i]))
            writeModuleLoad(g_scan[i]);
    }
    publish();
    std::copy(g_scan, g_scan + g_scan_count, g_known);
    g_known_count = g_scan_count;
}

void rewriteModuleRecordsAfterFork() {
    for (size_t i = 0; i < g_known_count; ++i)
        writeModuleLoad(g_known[i]);
}

void writeModulesAtStreamStart() {
    {
        std::lock_guard lock(g_refresh_mutex);
        rewriteModuleRecordsAfterFork();
    }
    refreshModules();
}

uint64_t moduleTableGeneration() {
    return g_table.sequence.load(std::memory_order_acquire);
}

bool findModule(uint64_t address, ModuleEntry& out) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        uint64_t before = g_table.sequence.load(std::memory_order_acquire);
        if (before & 1)
            return false; // a writer is inside, maybe this thread: never wait for it
        size_t count = std::min(g_table.count.load(std::memory_order_relaxed), kMaxModules);
        size_t lo = 0, hi = count;
        while (lo < hi) { // first entry with start > address
            size_t mid = (lo + hi) / 2;
            if (g_table.entries[mid].start <= address)
                lo = mid + 1;
            else
                hi = mid;
        }
        bool found = lo > 0 && address < g_table.entries[lo - 1].end;
        if (found)
            out = g_table.entries[lo - 1];
        std::atomic_thread_fence(std::memory_order_acquire);
        if (g_table.sequence.load(std::memory_order_relaxed) == before)
            return found;
    }
    return false;
}

} // namespace hprof::probe
