/* ring_check: attaches to a ShmRing created by .NET, using only docs/ring-layout.md.
 *   ring_check read  NAME KIND CAPACITY MAX_RECORD COUNT   consume COUNT checksummed records, verify each
 *   ring_check write NAME KIND CAPACITY MAX_RECORD COUNT   produce COUNT checksummed records (SPSC)
 * KIND is 1 (SPSC), 2 (MPSC) or 3 (broadcast: read joins as one more consumer, from the oldest record, and reads
 * COUNT records, delivered or (lossy) missed). A checksummed record: u64 sequence, u64 FNV-1a-64 of the bytes after these 16,
 * then data byte i = (sequence * 31 + i) & 0xFF; sizes 16 .. MAX_RECORD. Exit 0 on success. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* docs/ring-layout.md, "File layout" */
#define MAGIC 0x47524350494D4853ull
#define OFF_MAGIC 0
#define OFF_VERSION 8
#define OFF_KIND 12
#define OFF_CAPACITY 16
#define OFF_MAX_RECORD 24
#define OFF_SLOT_COUNT 28
#define OFF_DATA_OFFSET 32
#define OFF_FILE_LENGTH 40
#define OFF_TAG_KEY 48
#define OFF_PRODUCER_POSITION 128
#define OFF_CONSUMER_POSITION 256
#define OFF_WAKE_WORD 512
#define OFF_CONSUMER_HEARTBEAT 640
#define OFF_CONSUMER_OWNER 768
#define OFF_CONSUMER_MAY_SLEEP 776
/* "Broadcast (kind 3)" */
#define OFF_POLICY 80
#define OFF_TAIL 128
#define OFF_TAIL_INTENT 256
#define OFF_LATEST 384
#define OFF_HEAD 896
#define OFF_JOINS 904
#define SLOT_OWNER 0
#define SLOT_HEARTBEAT 8
#define SLOT_CURSOR 16
#define FIRST_CONSUMER_SLOT 1
#define POLICY_LOSSY 2
#define REC_SEQUENCE 24
#define OFF_SLOTS 1024
#define SLOT_LENGTH 128
#define SLOT_COUNT 63
#define DATA_OFFSET 12288
/* "Records" */
#define REC_TAG 0
#define REC_LENGTH 8
#define REC_PAYLOAD_LENGTH 12
#define REC_TYPE 16
#define REC_CLAIMED_AFTER 24
#define REC_HEADER 64
#define PADDING_TYPE (-1)

#define DIE(...) do { fprintf(stderr, "ring_check: " __VA_ARGS__); fputc('\n', stderr); exit(1); } while (0)

static uint8_t *base;
static uint64_t capacity, tag_key, mapped_length;
static uint32_t max_record;
static int ring_fd = -1;
static const char *ring_path;

#define U64(off) ((_Atomic uint64_t *)(base + (off)))
#define U32(off) ((_Atomic uint32_t *)(base + (off)))

static uint64_t fnv1a(const uint8_t *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* start time = field 22 of /proc/PID/stat; fields 3.. follow the last ')' */
static int process_start_time(int pid, uint64_t *start, int *zombie) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p) return 0;
    p++;
    for (int field = 3; field <= 22; field++) {
        while (*p == ' ') p++;
        if (field == 3) *zombie = *p == 'Z' || *p == 'X';
        if (field == 22) { *start = strtoull(p, NULL, 10); return 1; }
        while (*p && *p != ' ') p++;
    }
    return 0;
}

static uint64_t my_owner_word(void) {
    uint64_t start; int zombie;
    if (!process_start_time(getpid(), &start, &zombie)) DIE("cannot read /proc/self/stat");
    return (uint32_t)getpid() | ((uint64_t)(uint32_t)start << 32);
}

static int owner_live(uint64_t owner) {
    int pid = (int32_t)(uint32_t)owner;
    uint64_t start; int zombie;
    if (pid <= 0 || !process_start_time(pid, &start, &zombie) || zombie) return 0;
    return (uint32_t)start == (uint32_t)(owner >> 32);
}

static void take_role(size_t owner_offset, uint64_t me) {
    uint64_t current = atomic_load_explicit(U64(owner_offset), memory_order_acquire);
    if (owner_live(current)) DIE("role held by live pid %d", (int32_t)(uint32_t)current);
    if (!atomic_compare_exchange_strong(U64(owner_offset), &current, me)) DIE("role taken concurrently");
}

static void detach(size_t owner_offset, uint64_t me) {
    atomic_store_explicit(U64(owner_offset), (uint32_t)(-(int32_t)(uint32_t)me) | (me & 0xFFFFFFFF00000000ull), memory_order_release);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void attach(const char *name, uint32_t kind, uint64_t cap, uint32_t maxrec) {
    char path[256];
    snprintf(path, sizeof path, "/dev/shm/shmring.%s", name);
    int fd = open(path, O_RDWR);
    if (fd < 0) DIE("open %s failed", path);
    struct stat st;
    if (fstat(fd, &st) || st.st_size < DATA_OFFSET) DIE("%s is smaller than the header", path);
    base = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) DIE("mmap failed");
    ring_fd = fd; /* kept: "Liveness and cleanup", the file size is checked again at each peer check */
    mapped_length = (uint64_t)st.st_size;
    static char path_copy[256];
    memcpy(path_copy, path, sizeof path_copy);
    ring_path = path_copy;
    double deadline = now_s() + 2;
    while (atomic_load_explicit(U64(OFF_MAGIC), memory_order_acquire) != MAGIC)
        if (now_s() > deadline) DIE("magic missing");
    if (*U32(OFF_VERSION) != 1) DIE("version %u", *U32(OFF_VERSION));
    if (*U32(OFF_KIND) != kind) DIE("kind %u, expected %u", *U32(OFF_KIND), kind);
    if (*U64(OFF_CAPACITY) != cap) DIE("capacity mismatch");
    if (*U32(OFF_MAX_RECORD) != maxrec) DIE("max record mismatch");
    if (*U32(OFF_SLOT_COUNT) != SLOT_COUNT || *U64(OFF_DATA_OFFSET) != DATA_OFFSET) DIE("layout mismatch");
    if (*U64(OFF_FILE_LENGTH) != DATA_OFFSET + cap || (uint64_t)st.st_size != DATA_OFFSET + cap) DIE("file length mismatch");
    tag_key = *U64(OFF_TAG_KEY);
    if (!(tag_key & 1)) DIE("tag key even");
    /* "Records": the max record size rule */
    if (maxrec < 1 || REC_HEADER + (((uint64_t)maxrec + 63) & ~63ull) > cap / 2) DIE("max record size %u breaks the rule for capacity %lu", maxrec, (unsigned long)cap);
    capacity = cap;
    max_record = maxrec;
}

static uint8_t *header_at(uint64_t position) { return base + DATA_OFFSET + (position & (capacity - 1)); }

/* A peer check while waiting ("Liveness and cleanup"): a truncated file would fault, so stop before touching it. */
static void check_not_truncated(void) {
    struct stat st;
    if (fstat(ring_fd, &st) || (uint64_t)st.st_size < mapped_length)
        DIE("%s is %ld bytes, shorter than the %lu mapped (truncated)", ring_path, (long)st.st_size, (unsigned long)mapped_length);
}

static int64_t monotonic_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int cmd_read(uint64_t count) {
    uint64_t me = my_owner_word();
    take_role(OFF_CONSUMER_OWNER, me);
    atomic_store_explicit(U32(OFF_CONSUMER_MAY_SLEEP), 0, memory_order_release);
    uint64_t position = atomic_load_explicit(U64(OFF_CONSUMER_POSITION), memory_order_acquire);
    if (position % 64) DIE("consumer position %lu is not a multiple of 64", (unsigned long)position);
    atomic_store_explicit((_Atomic int64_t *)(base + OFF_CONSUMER_HEARTBEAT), monotonic_ns(), memory_order_relaxed);
    double deadline = now_s() + 60;
    for (uint64_t seq = 0, polls = 0; seq < count;) {
        uint8_t *h = header_at(position);
        if (atomic_load_explicit((_Atomic uint64_t *)(h + REC_TAG), memory_order_acquire) != (position ^ tag_key)) {
            if (now_s() > deadline) DIE("timed out waiting for record %lu", (unsigned long)seq);
            if (++polls % 1024 == 0) { /* a peer check: heartbeat (informational), file size */
                atomic_store_explicit((_Atomic int64_t *)(base + OFF_CONSUMER_HEARTBEAT), monotonic_ns(), memory_order_relaxed);
                check_not_truncated();
            }
            sched_yield();
            continue;
        }
        uint32_t length = *(uint32_t *)(h + REC_LENGTH), payload = *(uint32_t *)(h + REC_PAYLOAD_LENGTH);
        int32_t type = *(int32_t *)(h + REC_TYPE);
        if (length < REC_HEADER || length % 64 || (position & (capacity - 1)) + length > capacity || type < -1 ||
            (type == PADDING_TYPE ? payload != 0 : (payload > max_record || payload > length - REC_HEADER)))
            DIE("corrupt record at %lu", (unsigned long)position);
        if (type != PADDING_TYPE) {
            const uint8_t *p = h + REC_HEADER;
            uint64_t got_seq, got_sum;
            if (payload < 16) DIE("record %lu too short (%u)", (unsigned long)seq, payload);
            memcpy(&got_seq, p, 8);
            memcpy(&got_sum, p + 8, 8);
            if (got_seq != seq) DIE("record %lu has sequence %lu", (unsigned long)seq, (unsigned long)got_seq);
            if (got_sum != fnv1a(p + 16, payload - 16)) DIE("record %lu checksum mismatch", (unsigned long)seq);
            seq++;
        }
        position += length;
        atomic_store_explicit(U64(OFF_CONSUMER_POSITION), position, memory_order_release);
    }
    detach(OFF_CONSUMER_OWNER, me);
    printf("read %lu records ok\n", (unsigned long)count);
    return 0;
}

/* "Broadcast (kind 3)", the invariant: nothing from position on has been overwritten while tail_intent <= position + capacity. */
static int intact_from(uint64_t position) {
    atomic_thread_fence(memory_order_acquire); /* the read barrier before the intent's load */
    return atomic_load_explicit(U64(OFF_TAIL_INTENT), memory_order_relaxed) <= position + capacity; /* no unsigned underflow */
}

/* Slot 0's owner detached (pid negated) or its process gone: the producer will publish nothing more. */
static int producer_gone(void) {
    uint64_t owner = atomic_load_explicit(U64(OFF_SLOTS + SLOT_OWNER), memory_order_acquire);
    return (int32_t)(uint32_t)owner < 0 || (owner != 0 && !owner_live(owner));
}

static int cmd_read_broadcast(uint64_t count) {
    int lossy = *U32(OFF_POLICY) == POLICY_LOSSY;
    uint64_t me = my_owner_word();
    size_t slot = 0;
    for (int i = FIRST_CONSUMER_SLOT; i < SLOT_COUNT && !slot; i++) { /* joining: take a slot that is 0, detached or dead */
        size_t at = OFF_SLOTS + (size_t)i * SLOT_LENGTH;
        uint64_t current = atomic_load_explicit(U64(at + SLOT_OWNER), memory_order_acquire);
        if (owner_live(current)) continue;
        if (atomic_compare_exchange_strong(U64(at + SLOT_OWNER), &current, me)) slot = at;
    }
    if (!slot) DIE("every consumer slot is held by a live process");
    atomic_store_explicit((_Atomic int64_t *)(base + slot + SLOT_CURSOR), INT64_MAX, memory_order_release);
    uint64_t position, tail;
    double join_deadline = now_s() + 60;
    do {
        if (now_s() > join_deadline) DIE("could not join within 60 s (the producer keeps lapping the start)"); /* start at the oldest intact record; publish the cursor, count the join (a full fence), check the intent */
        tail = atomic_load_explicit(U64(OFF_TAIL), memory_order_acquire);
        position = atomic_load_explicit(U64(OFF_HEAD), memory_order_acquire);
        atomic_store_explicit(U64(slot + SLOT_CURSOR), position, memory_order_release);
        atomic_fetch_add(U64(OFF_JOINS), 1);
    } while (atomic_load_explicit(U64(OFF_TAIL_INTENT), memory_order_seq_cst) > position + capacity);
    if (position % 64) DIE("head %lu is not a multiple of 64", (unsigned long)position);

    /* The sequence before the start: 0 on a ring with nothing published yet, else one less than the start record's
     * (the records before the start are not ours to count; a lap before the first delivery is). */
    uint64_t last_sequence = 0;
    if (tail > position) {
        uint64_t probe = position, first = 0;
        while (probe < tail && !(first = *(uint64_t *)(header_at(probe) + REC_SEQUENCE))) /* padding: the next record's */
        {
            uint32_t skip = *(uint32_t *)(header_at(probe) + REC_LENGTH);
            if (skip < REC_HEADER || skip % 64) DIE("corrupt record at %lu", (unsigned long)probe);
            probe += skip;
        }
        if (first == 0 || !intact_from(position)) DIE("the record at the start %lu is not intact", (unsigned long)position);
        last_sequence = first - 1;
    }
    uint64_t delivered = 0, missed = 0, expected = 0, polls = 0;
    int delivered_any = 0;
    double deadline = now_s() + 60;
    while (delivered + missed < count) {
        uint8_t *h = header_at(position);
        if (atomic_load_explicit((_Atomic uint64_t *)(h + REC_TAG), memory_order_acquire) != (position ^ tag_key)) {
            if (atomic_load_explicit(U64(OFF_TAIL), memory_order_acquire) <= position) { /* nothing to read yet */
                if (now_s() > deadline) DIE("timed out waiting for record %lu", (unsigned long)(delivered + missed));
                if (++polls % 1024 == 0) {
                    atomic_store_explicit((_Atomic int64_t *)(base + slot + SLOT_HEARTBEAT), monotonic_ns(), memory_order_relaxed);
                    check_not_truncated();
                    if (producer_gone()) DIE("producer gone after %lu records", (unsigned long)(delivered + missed));
                }
                sched_yield();
                continue;
            }
            if (atomic_load_explicit((_Atomic uint64_t *)(h + REC_TAG), memory_order_acquire) != (position ^ tag_key)) {
                if (!lossy) DIE("lapped at %lu in a lossless ring", (unsigned long)position);
                position = atomic_load_explicit(U64(OFF_LATEST), memory_order_acquire); /* lapped: go to the newest */
                continue;
            }
        }
        uint32_t length = *(uint32_t *)(h + REC_LENGTH), payload = *(uint32_t *)(h + REC_PAYLOAD_LENGTH);
        int32_t type = *(int32_t *)(h + REC_TYPE);
        uint64_t sequence = *(uint64_t *)(h + REC_SEQUENCE);
        if (lossy && !intact_from(position)) { position = atomic_load_explicit(U64(OFF_LATEST), memory_order_acquire); continue; }
        if (length < REC_HEADER || length % 64 || (position & (capacity - 1)) + length > capacity || type < -1 ||
            (type == PADDING_TYPE ? payload != 0 || sequence != 0 : (payload > max_record || payload > length - REC_HEADER || sequence == 0)))
            DIE("corrupt record at %lu", (unsigned long)position);
        if (type != PADDING_TYPE) {
            if (sequence != last_sequence + 1) {
                if (!lossy || sequence <= last_sequence) DIE("record sequence %lu after %lu", (unsigned long)sequence, (unsigned long)last_sequence);
                missed += sequence - last_sequence - 1; /* skipped while lapped */
                expected += sequence - last_sequence - 1;
            }
            const uint8_t *p = h + REC_HEADER;
            uint64_t got_seq, got_sum;
            if (payload < 16) DIE("record %lu too short (%u)", (unsigned long)expected, payload);
            memcpy(&got_seq, p, 8);
            memcpy(&got_sum, p + 8, 8);
            if (!delivered_any) expected = got_seq; /* the first record read sets the payload sequence */
            int ok = got_seq == expected && got_sum == fnv1a(p + 16, payload - 16);
            if (lossy && !intact_from(position)) { missed++; ok = 1; } /* overwritten while read: discarded, counted */
            else if (!ok) DIE("record %lu has sequence %lu or a checksum mismatch", (unsigned long)expected, (unsigned long)got_seq);
            else { delivered++; delivered_any = 1; }
            last_sequence = sequence;
            expected++;
        }
        position += length;
        atomic_store_explicit(U64(slot + SLOT_CURSOR), position, memory_order_release);
    }
    detach(slot + SLOT_OWNER, me);
    printf("read %lu records ok, %lu missed\n", (unsigned long)delivered, (unsigned long)missed);
    return 0;
}

static void publish(uint64_t position, uint32_t length, uint32_t payload, int32_t type) {
    uint8_t *h = header_at(position);
    *(uint32_t *)(h + REC_LENGTH) = length;
    *(uint32_t *)(h + REC_PAYLOAD_LENGTH) = payload;
    *(int32_t *)(h + REC_TYPE) = type;
    *(uint64_t *)(h + REC_CLAIMED_AFTER) = 0;
    atomic_store_explicit((_Atomic uint64_t *)(h + REC_TAG), position ^ tag_key, memory_order_release);
}

static int cmd_write(uint64_t count) {
    if (*U32(OFF_KIND) != 1) DIE("write supports SPSC rings");
    uint64_t me = my_owner_word();
    take_role(OFF_SLOTS + 0 * SLOT_LENGTH, me);
    uint64_t position = atomic_load_explicit(U64(OFF_PRODUCER_POSITION), memory_order_acquire);
    if (position % 64) DIE("producer position %lu is not a multiple of 64", (unsigned long)position);
    for (int i = 0; i < 2; i++) { /* "SPSC protocol", recovery: a predecessor may have committed without storing its position */
        uint8_t *h = header_at(position);
        if (atomic_load_explicit((_Atomic uint64_t *)(h + REC_TAG), memory_order_acquire) != (position ^ tag_key)) break;
        uint32_t length = *(uint32_t *)(h + REC_LENGTH);
        if (length < REC_HEADER || length % 64 || (position & (capacity - 1)) + length > capacity)
            DIE("record at %lu has length %u", (unsigned long)position, length);
        position += length;
    }
    atomic_store_explicit(U64(OFF_PRODUCER_POSITION), position, memory_order_release);
    uint64_t cached_consumer = atomic_load_explicit(U64(OFF_CONSUMER_POSITION), memory_order_acquire);
    double deadline = now_s() + 60;
    for (uint64_t seq = 0; seq < count; seq++) {
        uint32_t payload = 16 + (uint32_t)((seq * 7919) % (max_record - 16 + 1));
        uint32_t length = REC_HEADER + ((payload + 63) & ~63u);
        uint64_t offset = position & (capacity - 1), padding = capacity - offset < length ? capacity - offset : 0;
        while (position + padding + length - cached_consumer > capacity) {
            cached_consumer = atomic_load_explicit(U64(OFF_CONSUMER_POSITION), memory_order_acquire);
            if (now_s() > deadline) DIE("timed out waiting for space");
            check_not_truncated();
            sched_yield();
        }
        if (padding) {
            publish(position, (uint32_t)padding, 0, PADDING_TYPE);
            position += padding;
            atomic_store_explicit(U64(OFF_PRODUCER_POSITION), position, memory_order_release);
        }
        uint8_t *p = header_at(position) + REC_HEADER;
        for (uint32_t i = 16; i < payload; i++) p[i] = (uint8_t)(seq * 31 + (i - 16));
        uint64_t sum = fnv1a(p + 16, payload - 16);
        memcpy(p, &seq, 8);
        memcpy(p + 8, &sum, 8);
        publish(position, length, payload, 7);
        position += length;
        atomic_store_explicit(U64(OFF_PRODUCER_POSITION), position, memory_order_release);
        if (atomic_load_explicit(U32(OFF_CONSUMER_MAY_SLEEP), memory_order_acquire)) {
            atomic_thread_fence(memory_order_seq_cst);
            if (atomic_load_explicit(U32(OFF_WAKE_WORD), memory_order_relaxed) && atomic_exchange(U32(OFF_WAKE_WORD), 0))
                syscall(SYS_futex, base + OFF_WAKE_WORD, FUTEX_WAKE, 1, NULL, NULL, 0);
        }
    }
    detach(OFF_SLOTS + 0 * SLOT_LENGTH, me);
    /* wake a sleeping consumer so it sees the detach promptly */
    if (atomic_exchange(U32(OFF_WAKE_WORD), 0)) syscall(SYS_futex, base + OFF_WAKE_WORD, FUTEX_WAKE, 1, NULL, NULL, 0);
    printf("wrote %lu records\n", (unsigned long)count);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 7) DIE("usage: ring_check read|write NAME KIND CAPACITY MAX_RECORD COUNT");
    attach(argv[2], (uint32_t)atoi(argv[3]), strtoull(argv[4], NULL, 10), (uint32_t)atoi(argv[5]));
    if (max_record < 16) DIE("max record must be >= 16");
    uint64_t count = strtoull(argv[6], NULL, 10);
    if (!strcmp(argv[1], "read")) return *U32(OFF_KIND) == 3 ? cmd_read_broadcast(count) : cmd_read(count);
    if (!strcmp(argv[1], "write")) return cmd_write(count);
    DIE("unknown command %s", argv[1]);
}
