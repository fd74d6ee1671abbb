// Competitions (lomba posyandu): the list with its filters, and one competition with its
// criteria, its entrants and their scores, the ranking by weighted total, and — once finalized —
// the winners and prizes, read-only. Every button is one the competition's (or, to create, the
// account's) allowed_actions lists: update, delete, add_entrant (and withdraw), score, finalize.
import { Alert, Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconTrophy } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import type { Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { useListQuery } from "../api/query";
import { useMe } from "../auth/auth";
import { ConfirmButton } from "../components/Confirm";
import { FilterBar, ParamSelect, RegionParam, SearchParam } from "../components/Filters";
import { BackLink, PageHeader, RecordState, RecordTitle, Section, useRouteId, WithCode } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { ProvenanceBadge, ProvenanceSource } from "../components/Provenance";
import { QueryTable, loaded } from "../components/QueryTable";
import { formatDateTime, formatNumber } from "../lib/format";
import { useDebouncedParam, useListParams } from "../lib/listParams";
import { allows } from "../lib/scope";
import { competitionListQuery, competitionQuery, rankingQuery, useDeleteCompetition, useRemoveEntrant } from "./api";
import { COMPETITION_STATUSES, CompetitionFormModal, EntrantFormModal, FinalizeModal, ScoreFormModal, competitionYears } from "./CompetitionForms";

const PAGE = 25;
type Status = Schemas["CompetitionStatus"];
type Entrant = Schemas["EntrantRead"];
const STATUS_COLOR: Record<Status, string> = { draft: "gray", open: "blue", scoring: "orange", final: "teal" };

export function CompetitionStatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLOR[status]} data-testid="competition-status">
      {t(`competitions.statuses.${status}`)}
    </Badge>
  );
}

/** A weighted total in the language's numbers (87,5). */
const score = (n: number) => formatNumber(n);

export function CompetitionsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const params = useListParams();
  const q = useDebouncedParam(params, "q");
  const region = useDebouncedParam(params, "region");
  const year = params.get("year");
  const status = (params.get("status") || undefined) as Status | undefined;
  const query = { q: q || undefined, region: region || undefined, year: year ? Number(year) : undefined, status, limit: PAGE, ...params.position, sort: "-year" };
  const list = useListQuery({ ...competitionListQuery(query), retry: false });
  const [creating, setCreating] = useState(false);
  const errs = fieldErrors(list.error);
  return (
    <Stack>
      <PageHeader title={t("competitions.title")}>
        {allows(me, "create_competition") && (
          <Button size="xs" onClick={() => setCreating(true)}>
            {t("competitions.new")}
          </Button>
        )}
      </PageHeader>
      <FilterBar>
        <SearchParam params={params} error={errs.q} />
        <RegionParam params={params} error={errs.region} />
        <ParamSelect params={params} param="year" label={t("competitions.year")} data={competitionYears()} w={120} />
        <ParamSelect params={params} param="status" label={t("common.status")} data={COMPETITION_STATUSES.map((s) => ({ value: s, label: t(`competitions.statuses.${s}`) }))} w={160} />
      </FilterBar>
      {list.error && !(errs.q || errs.region) && <ProblemAlert error={list.error} />}
      <QueryTable
        query={list}
        showProblem={false}
        testId="competition-table"
        rowKey={(c) => c.id}
        page={params.page(PAGE)}
        columns={[
          { header: t("competitions.competitionTitle"), link: (c) => `/competitions/${c.id}`, cell: (c) => c.title },
          { header: t("common.region"), cell: (c) => (c.region_code === null ? t("app.national") : <WithCode code={c.region_code}>{c.region_name}</WithCode>) },
          { header: t("competitions.year"), cell: (c) => c.year },
          { header: t("competitions.entrants"), numeric: true, cell: (c) => c.entrant_count },
          {
            header: t("common.status"),
            cell: (c) => (
              <Group gap={4} wrap="nowrap">
                <CompetitionStatusBadge status={c.status} />
                <ProvenanceBadge provenance={c.provenance} />
              </Group>
            ),
          },
        ]}
      />
      {creating && <CompetitionFormModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

export function CompetitionDetailPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id, valid } = useRouteId("competitionId");
  const [editing, setEditing] = useState(false);
  const [entering, setEntering] = useState(false);
  const [scoring, setScoring] = useState<Entrant | null>(null);
  const [finalizing, setFinalizing] = useState(false);
  const competition = useQuery({ ...competitionQuery(id), enabled: valid, retry: false });
  const ranking = useQuery({ ...rankingQuery(id), enabled: competition.isSuccess });
  const remove = useDeleteCompetition(() => navigate("/competitions"));
  const withdraw = useRemoveEntrant(id);
  if (!competition.isSuccess) return <RecordState query={competition} valid={valid} back={{ to: "/competitions", label: t("competitions.title") }} />;
  const c = competition.data;
  const final = c.status === "final";
  const prizes = new Map(c.prizes.map((p) => [p.rank, p.prize]));
  const winners = final ? (ranking.data?.rows ?? []).filter((r) => r.rank <= Math.max(3, c.prizes.length)) : [];
  const entrantActions = allows(c, "score") || allows(c, "add_entrant");
  return (
    <Stack>
      <BackLink to="/competitions" label={t("competitions.title")} />
      <RecordTitle title={c.title} testId="competition-title">
        <CompetitionStatusBadge status={c.status} />
        <ProvenanceBadge provenance={c.provenance} />
        {allows(c, "update") && (
          <Button size="compact-sm" variant="default" onClick={() => setEditing(true)}>
            {t("common.edit")}
          </Button>
        )}
        {allows(c, "delete") && (
          <ConfirmButton size="compact-sm" color="red" label={t("common.delete")} question={t("competitions.deleteQuestion", { title: c.title })} onConfirm={() => remove.mutateAsync(c).catch(() => undefined)} />
        )}
      </RecordTitle>
      {remove.error ? <ProblemAlert error={remove.error} /> : null}
      <Text c="dimmed">
        {c.region_code === null ? (
          t("app.national")
        ) : (
          <Anchor component={Link} to={`/regions/${c.region_code}`} underline="always">
            {c.region_name ?? c.region_code}
          </Anchor>
        )}{" "}
        · {c.year} · {c.category}
      </Text>
      {c.notes && <Text style={{ whiteSpace: "pre-wrap" }}>{c.notes}</Text>}
      <ProvenanceSource provenance={c.provenance} />
      {final && (
        <Alert color="teal" variant="light" icon={<IconTrophy size={18} />} title={t("competitions.finalTitle")} data-testid="final-note">
          {t("competitions.finalNote", { at: c.finalized_at ? formatDateTime(c.finalized_at) : "" })}
        </Alert>
      )}
      {winners.length > 0 && (
        <SimpleGrid cols={{ base: 1, sm: 3 }} data-testid="winners">
          {winners.map((w) => (
            <Card key={w.entrant.id} withBorder bg={w.rank === 1 ? "yellow.0" : undefined}>
              <Group gap={6} wrap="nowrap">
                <IconTrophy size={20} aria-hidden />
                <Text fw={700}>{t("competitions.rankN", { n: w.rank })}</Text>
              </Group>
              <Text fw={500} mt={4}>
                {w.entrant.name}
              </Text>
              <Text size="sm" c="dimmed">
                {t("competitions.total")}: {score(w.entrant.total)}
                {w.prize ? ` · ${w.prize}` : ""}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      )}

      <Section title={t("competitions.criteria")}>
        {c.criteria.length === 0 ? (
          <Text c="dimmed">{t("competitions.noCriteria")}</Text>
        ) : (
          <QueryTable
            query={loaded(c.criteria)}
            testId="criteria"
            rowKey={(cr) => cr.name}
            columns={[
              { header: t("competitions.criterion"), cell: (cr) => cr.name },
              { header: t("competitions.weight"), numeric: true, cell: (cr) => `${cr.weight}%` },
            ]}
          />
        )}
      </Section>

      <Section
        title={t("competitions.entrants")}
        actions={
          allows(c, "add_entrant") && (
            <Button size="xs" onClick={() => setEntering(true)}>
              {t("competitions.addEntrant")}
            </Button>
          )
        }
      >
        {withdraw.error ? <ProblemAlert error={withdraw.error} /> : null}
        <QueryTable
          query={loaded(c.entrants)}
          empty="instead"
          emptyText={t("competitions.noEntrants")}
          testId="entrants"
          rowKey={(e) => e.id}
          columns={[
            {
              header: t("competitions.entrant"),
              cell: (e) => (
                <WithCode code={e.region_code}>
                  <Anchor component={Link} to={e.posyandu_id ? `/posyandu/${e.posyandu_id}` : `/teams/${e.team_id}`}>
                    {e.name}
                  </Anchor>
                </WithCode>
              ),
            },
            ...c.criteria.map((cr) => ({ header: cr.name, numeric: true, cell: (e: Entrant) => e.scores[cr.name] ?? "—" })),
            {
              header: t("competitions.total"),
              numeric: true,
              cell: (e) => (
                <Group gap={4} wrap="nowrap" justify="flex-end">
                  {score(e.total)}
                  {!e.complete && (
                    <Badge size="xs" color="orange" variant="light">
                      {t("competitions.incomplete")}
                    </Badge>
                  )}
                </Group>
              ),
            },
            entrantActions && {
              cell: (e) => (
                <Group gap={4} wrap="nowrap">
                  {allows(c, "score") && (
                    <Button size="compact-xs" variant="light" onClick={() => setScoring(e)} aria-label={t("competitions.scoreEntrant", { name: e.name })}>
                      {t("competitions.score")}
                    </Button>
                  )}
                  {allows(c, "add_entrant") && (
                    <ConfirmButton
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      label={t("competitions.withdraw")}
                      aria-label={t("competitions.withdrawEntrant", { name: e.name })}
                      question={t("competitions.withdrawQuestion", { name: e.name })}
                      onConfirm={() => withdraw.mutateAsync(e.id).catch(() => undefined)}
                    />
                  )}
                </Group>
              ),
            },
          ]}
        />
      </Section>

      <Section
        title={t("competitions.ranking")}
        actions={
          allows(c, "finalize") && (
            <Button size="xs" color="teal" onClick={() => setFinalizing(true)} disabled={c.entrants.length === 0}>
              {t("competitions.finalize")}
            </Button>
          )
        }
      >
        <QueryTable
          query={{ ...ranking, data: ranking.data?.rows }}
          empty="instead"
          emptyText={t("competitions.noEntrants")}
          testId="ranking"
          rowKey={(r) => r.entrant.id}
          columns={[
            { header: t("competitions.rank"), numeric: true, cell: (r) => r.rank },
            { header: t("competitions.entrant"), cell: (r) => r.entrant.name },
            { header: t("competitions.total"), numeric: true, cell: (r) => score(r.entrant.total) },
            { header: t("competitions.prize"), cell: (r) => r.prize ?? prizes.get(r.rank) ?? "—" },
          ]}
        />
        {!final && ranking.data && ranking.data.rows.length > 0 && (
          <Text size="sm" c="dimmed" mt="xs">
            {t("competitions.provisional")}
          </Text>
        )}
      </Section>
      {editing && <CompetitionFormModal key={c.version} competition={c} onClose={() => setEditing(false)} />}
      {entering && <EntrantFormModal competition={c} onClose={() => setEntering(false)} />}
      {scoring && <ScoreFormModal key={scoring.id} competition={c} entrant={scoring} onClose={() => setScoring(null)} />}
      {finalizing && <FinalizeModal competition={c} onClose={() => setFinalizing(false)} />}
    </Stack>
  );
}
