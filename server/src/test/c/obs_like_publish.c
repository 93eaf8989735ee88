/*
 * Publishes an FLV file the way OBS Studio's RTMP output does, through the system's librtmp (the library OBS's
 * plugins/obs-outputs/librtmp was forked from), for RtmpSessionCapture. NOT OBS: an OBS-like sequence, with these
 * settings taken from OBS's rtmp-stream.c and flv-mux.c:
 *   - flashVer "FMLE/3.0 (compatible; FMSc/1.0)", swfUrl = tcUrl, write mode (connect carries type "nonprivate");
 *   - librtmp then sends connect, releaseStream, FCPublish, createStream and publish, as in OBS;
 *   - chunk size 4096 (OBS's fork sends Set Chunk Size just before connect; upstream librtmp cannot, so it comes right
 *     after publish here: the one known difference in order);
 *   - onMetaData as an ECMA array with OBS's fields in OBS's order, written with RTMP_Write, which adds @setDataFrame;
 *   - every media tag written with RTMP_Write, as OBS does; the input file's own script tag is skipped.
 * Build: gcc -o obs_like_publish obs_like_publish.c -lrtmp     Usage: obs_like_publish rtmp://HOST:PORT/live/KEY in.flv
 */
#include <librtmp/amf.h>
#include <librtmp/log.h>
#include <librtmp/rtmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AVS(s) ((AVal){(char *)(s), (int)sizeof(s) - 1})

static char *named_number(char *enc, char *end, const char *name, double value) {
    AVal n = {(char *)name, (int)strlen(name)};
    return AMF_EncodeNamedNumber(enc, end, &n, value);
}

static char *named_bool(char *enc, char *end, const char *name, int value) {
    AVal n = {(char *)name, (int)strlen(name)};
    return AMF_EncodeNamedBoolean(enc, end, &n, value);
}

/* An FLV script tag holding "onMetaData" and OBS's fields (flv-mux.c build_flv_meta_data), for RTMP_Write. */
static int obs_metadata_tag(char *tag, int capacity) {
    char *body = tag + 11, *end = tag + capacity - 4, *enc = body;
    AVal onMetaData = AVS("onMetaData"), encoder = AVS("encoder"), encoderName = AVS("obs-output module (libobs version 30.0.0)");
    enc = AMF_EncodeString(enc, end, &onMetaData);
    *enc++ = AMF_ECMA_ARRAY;
    enc = AMF_EncodeInt32(enc, end, 20);
    enc = named_number(enc, end, "duration", 0);
    enc = named_number(enc, end, "fileSize", 0);
    enc = named_number(enc, end, "width", 160);
    enc = named_number(enc, end, "height", 120);
    enc = named_number(enc, end, "videocodecid", 7);
    enc = named_number(enc, end, "videodatarate", 2500);
    enc = named_number(enc, end, "framerate", 10);
    enc = named_number(enc, end, "audiocodecid", 10);
    enc = named_number(enc, end, "audiodatarate", 160);
    enc = named_number(enc, end, "audiosamplerate", 22050);
    enc = named_number(enc, end, "audiosamplesize", 16);
    enc = named_number(enc, end, "audiochannels", 1);
    enc = named_bool(enc, end, "stereo", 0);
    enc = named_bool(enc, end, "2.1", 0);
    enc = named_bool(enc, end, "3.1", 0);
    enc = named_bool(enc, end, "4.0", 0);
    enc = named_bool(enc, end, "4.1", 0);
    enc = named_bool(enc, end, "5.1", 0);
    enc = named_bool(enc, end, "7.1", 0);
    enc = AMF_EncodeNamedString(enc, end, &encoder, &encoderName);
    *enc++ = 0;
    *enc++ = 0;
    *enc++ = AMF_OBJECT_END;
    int size = (int)(enc - body);
    tag[0] = 0x12;
    tag[1] = (char)(size >> 16); tag[2] = (char)(size >> 8); tag[3] = (char)size;
    memset(tag + 4, 0, 7); /* timestamp 0, stream id 0 */
    AMF_EncodeInt32(enc, tag + capacity, size + 11); /* previous tag size */
    return size + 15;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s rtmp://HOST:PORT/live/KEY in.flv\n", argv[0]);
        return 1;
    }
    FILE *in = fopen(argv[2], "rb");
    if (!in) {
        perror(argv[2]);
        return 1;
    }
    RTMP_LogSetLevel(RTMP_LOGERROR);
    RTMP *r = RTMP_Alloc();
    RTMP_Init(r);
    if (!RTMP_SetupURL(r, argv[1])) {
        return 2;
    }
    RTMP_EnableWrite(r);
    r->Link.flashVer = AVS("FMLE/3.0 (compatible; FMSc/1.0)");
    r->Link.swfUrl = r->Link.tcUrl;
    if (!RTMP_Connect(r, NULL) || !RTMP_ConnectStream(r, 0)) {
        fprintf(stderr, "connect or publish failed\n");
        return 3;
    }

    RTMPPacket chunkSize = {0};
    char buf[RTMP_MAX_HEADER_SIZE + 4];
    chunkSize.m_nChannel = 0x02;
    chunkSize.m_headerType = RTMP_PACKET_SIZE_LARGE;
    chunkSize.m_packetType = RTMP_PACKET_TYPE_CHUNK_SIZE;
    chunkSize.m_body = buf + RTMP_MAX_HEADER_SIZE;
    chunkSize.m_nBodySize = 4;
    AMF_EncodeInt32(chunkSize.m_body, chunkSize.m_body + 4, 4096);
    if (!RTMP_SendPacket(r, &chunkSize, FALSE)) {
        return 4;
    }
    r->m_outChunkSize = 4096;

    char meta[1024];
    if (RTMP_Write(r, meta, obs_metadata_tag(meta, sizeof meta)) <= 0) {
        return 5;
    }

    unsigned char header[11];
    if (fseek(in, 13, SEEK_SET) != 0) { /* FLV header and the first previous-tag-size */
        return 6;
    }
    while (fread(header, 1, 11, in) == 11) {
        int size = header[1] << 16 | header[2] << 8 | header[3];
        char *tag = malloc(size + 15);
        memcpy(tag, header, 11);
        if (fread(tag + 11, 1, size + 4, in) != (size_t)size + 4) {
            free(tag);
            break;
        }
        if (header[0] != 0x12 && RTMP_Write(r, tag, size + 15) <= 0) {
            free(tag);
            return 7;
        }
        free(tag);
    }
    fclose(in);
    RTMP_Close(r); /* FCUnpublish and deleteStream, as OBS's stop does through the same call */
    RTMP_Free(r);
    return 0;
}
