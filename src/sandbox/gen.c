/* Deterministic Korean test data (see gen.h). Tables are small and hand
 * picked: what matters is that every shape a seller's sheet must survive
 * shows up (leading-zero zip codes, quotes, newlines, emoji, "=..."). */
#include "sandbox/gen.h"

#include <stdio.h>
#include <string.h>

void sandbox_rng_seed(struct sandbox_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t sandbox_rng_next(struct sandbox_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

uint64_t sandbox_rng_below(struct sandbox_rng *r, uint64_t n)
{
	if (n == 0)
		return 0;
	/* Rejection keeps it uniform; the loop almost never repeats. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t v;
	do
		v = sandbox_rng_next(r);
	while (v >= limit);
	return v % n;
}

int64_t sandbox_rng_range(struct sandbox_rng *r, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)sandbox_rng_below(r, (uint64_t)(hi - lo) + 1);
}

bool sandbox_rng_percent(struct sandbox_rng *r, unsigned percent)
{
	return sandbox_rng_below(r, 100) < percent;
}

uint64_t sandbox_rng_derive(uint64_t seed, const char *purpose)
{
	/* FNV-1a of the purpose, mixed with the seed through one splitmix step. */
	uint64_t h = 0xcbf29ce484222325ull;
	for (const unsigned char *p = (const unsigned char *)purpose; *p; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	struct sandbox_rng r = { seed ^ h };
	return sandbox_rng_next(&r);
}

static const char *const surnames[] = {
	"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권",
	"황", "안", "송", "류", "전", "홍", "고", "문", "양", "손", "배", "백", "허", "유", "남",
	"심", "노", "하", "곽", "성", "차", "주", "우", "구", "민", "진", "지", "엄", "채", "원",
	"천", "방", "공", "현", "함", "변", "염", "여", "추", "도", "소", "석", "선", "설", "마",
	"길", "연", "위", "표", "명", "기", "반", "왕", "금", "옥", "육", "인", "맹", "제", "모",
	"남궁", "황보", "제갈", "선우", "독고",
};

static const char *const given1[] = {
	"민", "서", "지", "하", "도", "예", "시", "수", "주", "은", "현", "준", "유", "채", "다",
	"윤", "건", "우", "연", "소", "태", "재", "승", "동", "영", "혜", "경", "미", "정", "상",
};

static const char *const given2[] = {
	"준", "윤", "우", "아", "연", "린", "호", "원", "진", "빈", "희", "영", "현", "민", "율",
	"서", "은", "훈", "혁", "찬", "경", "숙", "자", "철", "수", "희", "석", "나", "별", "솔",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

void sandbox_gen_name(struct sandbox_rng *r, char *out, size_t n)
{
	const char *s = surnames[sandbox_rng_below(r, COUNT(surnames))];
	/* A few one-syllable given names (e.g. 김솔), as in real data. */
	if (sandbox_rng_percent(r, 4))
		snprintf(out, n, "%s%s", s, given2[sandbox_rng_below(r, COUNT(given2))]);
	else
		snprintf(out, n, "%s%s%s", s, given1[sandbox_rng_below(r, COUNT(given1))],
			 given2[sandbox_rng_below(r, COUNT(given2))]);
}

void sandbox_gen_mobile(struct sandbox_rng *r, char *out, size_t n)
{
	snprintf(out, n, "010-%04u-%04u", (unsigned)sandbox_rng_range(r, 2000, 9999),
		 (unsigned)sandbox_rng_below(r, 10000));
}

void sandbox_gen_safe_number(struct sandbox_rng *r, char *out, size_t n)
{
	snprintf(out, n, "%s-%04u-%04u", sandbox_rng_percent(r, 50) ? "0504" : "0505",
		 (unsigned)sandbox_rng_range(r, 1000, 9999), (unsigned)sandbox_rng_below(r, 10000));
}

struct road {
	const char *area;  /* 시도 시군구 */
	const char *roads[3];
	unsigned zip_lo, zip_hi;
	bool remote;
};

/* Zip ranges follow the real 5-digit 국가기초구역 numbering per area, so Seoul
 * codes start with 0 (01000-08999). */
static const struct road roads[] = {
	{ "서울특별시 강남구", { "테헤란로", "역삼로", "논현로" }, 6000, 6299, false },
	{ "서울특별시 강북구", { "삼양로", "도봉로", "솔매로" }, 1000, 1199, false },
	{ "서울특별시 노원구", { "동일로", "상계로", "한글비석로" }, 1600, 1899, false },
	{ "서울특별시 종로구", { "세종대로", "율곡로", "자하문로" }, 3000, 3199, false },
	{ "서울특별시 마포구", { "월드컵북로", "양화로", "독막로" }, 3900, 4199, false },
	{ "서울특별시 송파구", { "올림픽로", "송파대로", "백제고분로" }, 5500, 5899, false },
	{ "서울특별시 관악구", { "관악로", "남부순환로", "봉천로" }, 8700, 8899, false },
	{ "경기도 성남시 분당구", { "판교역로", "분당로", "황새울로" }, 13400, 13599, false },
	{ "경기도 수원시 영통구", { "광교중앙로", "영통로", "매영로" }, 16500, 16599, false },
	{ "경기도 고양시 일산동구", { "중앙로", "정발산로", "강송로" }, 10300, 10499, false },
	{ "인천광역시 연수구", { "컨벤시아대로", "송도과학로", "원인재로" }, 21900, 22099, false },
	{ "부산광역시 해운대구", { "해운대해변로", "센텀중앙로", "좌동순환로" }, 48000, 48199, false },
	{ "대구광역시 수성구", { "달구벌대로", "동대구로", "범어천로" }, 42000, 42299, false },
	{ "광주광역시 서구", { "상무대로", "상무중앙로", "치평로" }, 61900, 62099, false },
	{ "대전광역시 유성구", { "대학로", "노은동로", "엑스포로" }, 34100, 34199, false },
	{ "울산광역시 남구", { "삼산로", "돋질로", "번영로" }, 44600, 44799, false },
	{ "세종특별자치시", { "한누리대로", "도움1로", "갈매로" }, 30100, 30199, false },
	{ "강원특별자치도 춘천시", { "중앙로", "후석로", "춘천로" }, 24200, 24399, false },
	{ "충청북도 청주시 상당구", { "상당로", "대성로", "용암로" }, 28500, 28699, false },
	{ "충청남도 천안시 동남구", { "만남로", "충절로", "버들로" }, 31100, 31299, false },
	{ "전북특별자치도 전주시 완산구", { "팔달로", "기린대로", "효자로" }, 54900, 55099, false },
	{ "전라남도 여수시", { "시청로", "여서로", "좌수영로" }, 59600, 59799, false },
	{ "경상북도 포항시 남구", { "형산강북로", "대잠동길", "포스코대로" }, 37600, 37899, false },
	{ "경상남도 창원시 성산구", { "중앙대로", "원이대로", "창원대로" }, 51400, 51599, false },
	{ "제주특별자치도 제주시", { "중앙로", "연북로", "노형로" }, 63100, 63299, true },
	{ "제주특별자치도 서귀포시", { "중정로", "일주동로", "신서로" }, 63500, 63644, true },
};

static const char *const apartments[] = {
	"래미안아파트", "힐스테이트", "푸르지오", "자이아파트", "e편한세상", "롯데캐슬", "주공아파트",
};

/* The documented examples and the smallest Seoul code, always present. */
static const struct sandbox_address fixed_addresses[] = {
	{ "서울특별시 강남구 테헤란로 152", "강남파이낸스센터 21층", "06236", false },
	{ "서울특별시 강북구 삼양로 181길 26", "2층 201호", "01000", false },
	{ "서울특별시 종로구 세종대로 209", "정부서울청사 본관 1층 민원실", "03171", false },
	{ "제주특별자치도 제주시 연북로 11", "101동 1203호 (\"노형\" 뜨란채)", "63123", true },
};

size_t sandbox_gen_fixed_addresses(void)
{
	return COUNT(fixed_addresses);
}

void sandbox_gen_fixed_address(size_t i, struct sandbox_address *a)
{
	*a = fixed_addresses[i % COUNT(fixed_addresses)];
}

void sandbox_gen_address(struct sandbox_rng *r, struct sandbox_address *a)
{
	const struct road *rd = &roads[sandbox_rng_below(r, COUNT(roads))];
	snprintf(a->addr1, sizeof a->addr1, "%s %s %u", rd->area, rd->roads[sandbox_rng_below(r, 3)],
		 (unsigned)sandbox_rng_range(r, 1, 320));
	switch (sandbox_rng_below(r, 6)) {
	case 0:
		snprintf(a->addr2, sizeof a->addr2, "%u층", (unsigned)sandbox_rng_range(r, 1, 5));
		break;
	case 1:
		snprintf(a->addr2, sizeof a->addr2, "%s %u동 %u호",
			 apartments[sandbox_rng_below(r, COUNT(apartments))],
			 (unsigned)sandbox_rng_range(r, 101, 115),
			 (unsigned)sandbox_rng_range(r, 1, 25) * 100 + (unsigned)sandbox_rng_range(r, 1, 4));
		break;
	case 2:
		snprintf(a->addr2, sizeof a->addr2, "B%02u호", (unsigned)sandbox_rng_range(r, 1, 12));
		break;
	case 3:
		/* The comma-and-parenthesis form road addresses add for the dong. */
		snprintf(a->addr2, sizeof a->addr2, "%u동 %u호 (신사동, 한양빌라)",
			 (unsigned)sandbox_rng_range(r, 1, 3), (unsigned)sandbox_rng_range(r, 101, 405));
		break;
	default:
		snprintf(a->addr2, sizeof a->addr2, "%u동 %u호", (unsigned)sandbox_rng_range(r, 101, 120),
			 (unsigned)sandbox_rng_range(r, 1, 30) * 100 + (unsigned)sandbox_rng_range(r, 1, 6));
		break;
	}
	snprintf(a->zip, sizeof a->zip, "%05u", (unsigned)sandbox_rng_range(r, rd->zip_lo, rd->zip_hi));
	a->remote = rd->remote;
}

/* What buyers type into 배송메모. Everything a CSV or a spreadsheet can trip
 * over is here at least once. */
static const char *const memos[] = {
	"문 앞에 놓아주세요",
	"부재 시 경비실에 맡겨주세요, 감사합니다",
	"\"파손주의\" 상자 조심히 다뤄주세요",
	"1층 공동현관 비밀번호 #1234*\n도착 전에 연락 부탁드립니다",
	"🙏 빠른 배송 부탁드려요 📦",
	"=HYPERLINK(\"http://example.com/\",\"클릭\")",
	"+82 10-2345-6789 로 연락주세요",
	"-문 앞",
	"@집",
	"=1+2",
	"\t탭으로 시작하는 메모",
	"배송 전 연락 바랍니다.\r\n\"문자\" 주세요, 전화는 안 받아요",
	"택배함에 넣어주세요 (3번, 비번 0000)",
	"아이가 자고 있어요 😴 노크하지 말아주세요",
	"경비실",
	"",
};

size_t sandbox_gen_memo_count(void)
{
	return COUNT(memos);
}

const char *sandbox_gen_memo_at(size_t i)
{
	return memos[i % COUNT(memos)];
}

const char *sandbox_gen_memo(struct sandbox_rng *r)
{
	/* A third of buyers leave nothing. */
	if (sandbox_rng_percent(r, 30))
		return NULL;
	return memos[sandbox_rng_below(r, COUNT(memos))];
}

static const struct sandbox_product products[] = {
	{ "국내산 부사 사과 가정용", { "3kg (13-15과)", "5kg (18-20과)", "10kg (36-40과)" }, 19900 },
	{ "무선 블루투스 이어폰 노이즈캔슬링", { "화이트", "블랙", "네이비" }, 39000 },
	{ "남성 기모 조거팬츠", { "블랙, L", "그레이, XL", "네이비, M" }, 24900 },
	{ "유기농 현미 10kg", { "단일상품" }, 42000 },
	{ "스테인리스 텀블러 500ml", { "실버", "로즈골드" }, 12800 },
	{ "어린이 우비 세트 \"무지개\"", { "100cm", "110cm", "120cm" }, 21500 },
	{ "캠핑 의자, 접이식 경량", { "카키", "베이지" }, 35900 },
	{ "제주 감귤 5kg 로얄과", { "S (소과)", "M (중과)", "L (대과)" }, 27900 },
	{ "여성 니트 가디건 07 DARK GREY", { "160호", "165호", "170호" }, 19000 },
	{ "고양이 모래 두부 7L x 3개", { "오리지널", "녹차", "복숭아" }, 18900 },
	{ "LED 스탠드 무선 충전", { "화이트" }, 45000 },
	{ "김치냉장고용 밀폐용기 4종", { "4종 세트", "8종 세트" }, 15900 },
	{ "핸드크림 50ml 3+1", { "라벤더", "무향" }, 9900 },
	{ "1+1 수제 그래놀라 500g", { "오리지널", "초코" }, 13900 },
	{ "전기 면도기 방수 3헤드", { "블랙" }, 59000 },
	{ "아기 물티슈 100매 x 10팩", { "캡형", "리필형" }, 16900 },
	{ "등산 양말 5켤레 세트", { "남성 260-280", "여성 230-250" }, 11900 },
	{ "한우 불고기 500g (냉장)", { "1팩", "2팩" }, 32000 },
};

const struct sandbox_product *sandbox_gen_products(size_t *n)
{
	*n = COUNT(products);
	return products;
}
