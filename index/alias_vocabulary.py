"""The vocabulary `index.alias_evidence` reads translated glosses with: common words of
policy, law, the economy, science and health, as news and court writing translate them.

Written for kosearch. Each line is a Korean word and the English words it may translate, as
stems (an English word matches a stem it starts with, give or take a short ending); `a+b` is
a phrase of two English words (인권, human rights).
"""

from __future__ import annotations

__all__ = ["VOCABULARY"]

_TABLE = """
국제 international
국제연합 united+nations
국가 national state country
국립 national
세계 world global
정부 government
위원회 committee commission council
이사회 council board
협의회 council conference
회의 conference meeting council
정상회의 summit
기구 organization organisation agency apparatus
기관 agency institution body
협회 association society
연합 union alliance federation united
연맹 league federation
동맹 alliance
협력 cooperation co-operation
협정 agreement accord
협약 convention agreement treaty pact
조약 treaty
법 law act code
법률 law legal act
법원 court
재판 trial court
재판소 court tribunal
대법원 supreme+court
헌법 constitution constitutional
규칙 rule regulation
규정 regulation provision rule
조항 clause provision article
검찰 prosecution prosecutor
검사 prosecutor inspection test examination
변호사 lawyer attorney counsel
판사 judge
배심 jury
배심원 juror jury
특별 special
집행 executive enforcement execution
행정 administration administrative executive
관리 management administration control care
업무 affairs business work action
사무 affairs office
사무국 secretariat
사무소 office
청 office administration agency service
처 office agency ministry
부 ministry department
장관 minister secretary
법무 justice legal
법무장관 attorney+general
대통령 president
백악관 white+house
국무부 state+department
국방부 defense+department pentagon
재무부 treasury
상원 senate
하원 house
연방 federal
공화당 republican
민주당 democratic democrat
유엔 united+nations
총리 prime+minister premier
의회 parliament congress assembly legislature
국회 national+assembly parliament
정당 party
당 party
선거 election
투표 vote voting ballot
인권 human+right
권리 right
자유 freedom free liberty
평화 peace
안보 security
안전 safety security safe
보호 protection protective guard
보안 security
방위 defense defence
국방 defense defence
군 army force military
군사 military
전쟁 war
경제 economy economic
금융 finance financial
재정 finance fiscal
예산 budget
세금 tax
무역 trade
거래 trade trading transaction exchange
시장 market mayor
은행 bank
중앙은행 central+bank
투자 investment investor
자본 capital
기금 fund
재단 foundation
회사 company corporation firm
기업 company enterprise corporation firm business
산업 industry industrial
노동 labor labour work
노동자 worker laborer
고용 employment
복지 welfare
보험 insurance
연금 pension
판매 sale selling
가격 price
물가 price
소비자 consumer
개발 development
발전 development power generation
연구 research study
연구소 institute laboratory research
연구원 researcher institute
대학 university college
대학교 university
학교 school
교육 education
과학 science scientific
기술 technology technical
정보 information intelligence
통신 communication telecommunication
전자 electronic electron
화폐 currency money
대역 band
방송 broadcasting broadcast
언론 press media
신문 newspaper
센터 center centre
기지 base
본부 headquarters
지역 region regional area local
지방 local provincial regional
도시 city urban
환경 environment environmental
기후 climate
에너지 energy
원자력 nuclear atomic
전력 power electricity
자원 resource
농업 agriculture agricultural
식량 food
보건 health
건강 health
의료 medical health
병원 hospital
질병 disease
감염 infection
백신 vaccine
치료 treatment therapy
검진 screening examination
환자 patient
의약품 medicine drug pharmaceutical
약 drug medicine
우주 space
항공 aviation aerospace air
교통 transport transportation traffic
철도 railway railroad rail
도로 road
항만 port harbor
공항 airport
주택 housing house
인구 population
이민 immigration
난민 refugee
문화 culture cultural
예술 art arts
역사 history historical
체육 sport sports
올림픽 olympic
정책 policy
계획 plan planning program
사업 project business program
제도 system institution
체계 system framework
시스템 system
위기 crisis
재난 disaster
사고 accident
조사 investigation survey inquiry
감사 audit
통계 statistics statistical
표준 standard
인증 certification
등급 class grade rating
단계 stage phase step
분자 molecule molecular
양자 quantum
기계 machine machinery
장치 device apparatus equipment
등 lamp light
산 acid
염 salt
세균 bacteria bacterium
유전자 gene genetic
유전체 genome
단백질 protein
세포 cell
황금 golden gold
시대 age era years period
중재 arbitration
조정 mediation adjustment coordination
분쟁 dispute conflict
소송 lawsuit litigation suit
계약 contract
특허 patent
저작권 copyright
상표 trademark
파생 derivative
수동 manual hand
운반 transport carrying
성적 sexual
지향 orientation
기본 basic framework fundamental
입자 particle
물리 physics physical
자동차 car vehicle automobile
자기 magnetic
공명 resonance
증강 augmented
현실 reality real
가상 virtual
한국 korea korean
인공지능 artificial+intelligence
인공 artificial
지능 intelligence
사물 things objects
인터넷 internet
영상 imaging image video
정거장 station
산소 oxygen
요구량 demand requirement
"""


def _parse(text: str) -> dict[str, tuple[str, ...]]:
    """The table as Korean word -> English stems.

    >>> _parse("위원회 committee commission")
    {'위원회': ('committee', 'commission')}
    """
    out: dict[str, tuple[str, ...]] = {}
    for line in text.strip().splitlines():
        word, *english = line.split()
        out[word] = tuple(english)
    return out


VOCABULARY = _parse(_TABLE)
"""Korean word -> the English word stems it may translate."""
