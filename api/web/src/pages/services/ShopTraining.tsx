/** 培训报名: browse providers' courses and sessions, enrol a technician (one seat), see and cancel my enrolments. */
import { Alert, App, Button, Card, Flex, Input, Table } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";
import { StatusTag, newKey, type Course, type Enrolment, type Session } from "./lib";

function Enrol({ session, onDone }: { session: Session; onDone(): void }) {
  const t = useT();
  const { message } = App.useApp();
  const [attendee, setAttendee] = useState("");
  // One key per attendee typed: a retried click is the same enrolment.
  const [key, setKey] = useState(() => newKey("enrol"));
  const enrol = async () => {
    try {
      await answer(
        api.POST("/api/v1/services/sessions/{id}/enrolments", {
          params: { path: { id: session.id }, header: { "Idempotency-Key": key } },
          body: { attendee },
        }),
      );
      void message.success(t("services.enrolled"));
      setAttendee("");
      setKey(newKey("enrol"));
      onDone();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  if (session.status !== "scheduled" || session.seatsLeft === 0) return null;
  return (
    <Flex gap={4}>
      <Input
        size="small"
        aria-label={t("services.attendee")}
        placeholder={t("services.attendee")}
        value={attendee}
        onChange={(e) => {
          setAttendee(e.target.value);
          setKey(newKey("enrol"));
        }}
        style={{ width: 120 }}
      />
      <Button size="small" type="primary" disabled={!attendee.trim()} onClick={() => void enrol()}>
        {t("services.enrol")}
      </Button>
    </Flex>
  );
}

export default function ShopTraining() {
  const t = useT();
  const { message } = App.useApp();
  const courses = useApi(() => answer<{ courses: Course[] }>(api.GET("/api/v1/services/courses")), []);
  // Every course opens to its sessions; a course the user folds stays folded.
  const [folded, setFolded] = useState<string[]>([]);
  const mine = useApi(() => answer<{ enrolments: Enrolment[] }>(api.GET("/api/v1/services/enrolments")), []);
  const reload = () => {
    courses.reload();
    mine.reload();
  };
  const cancel = async (e: Enrolment) => {
    try {
      await answer(api.POST("/api/v1/services/enrolments/{id}/cancel", { params: { path: { id: e.id } } }));
      void message.success(t("services.enrolmentCancelled"));
      reload();
    } catch (err) {
      void message.error(errorText(t, err));
    }
  };
  return (
    <Flex vertical gap={12} data-testid="shop-training">
      {(courses.error || mine.error) && (
        <Alert type="error" showIcon title={errorText(t, courses.error ?? mine.error)} />
      )}
      <Card size="small" title={t("services.courses")}>
        <Table<Course>
          rowKey="id"
          size="small"
          loading={courses.loading}
          dataSource={courses.data?.courses ?? []}
          locale={{ emptyText: t("services.noCourses") }}
          expandable={{
            expandedRowKeys: (courses.data?.courses ?? []).map((c) => c.id).filter((id) => !folded.includes(id)),
            onExpand: (open, c) => setFolded((f) => (open ? f.filter((x) => x !== c.id) : [...f, c.id])),
            expandedRowRender: (c) => (
              <Table<Session>
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={c.sessions}
                locale={{ emptyText: t("services.noSessions") }}
                columns={[
                  { title: t("services.startsAt"), render: (_, s) => <DateTime at={s.startsAt} /> },
                  { title: t("services.place"), dataIndex: "place" },
                  { title: t("services.seatsLeft"), render: (_, s) => `${s.seatsLeft} / ${s.seats}` },
                  { title: t("services.state"), render: (_, s) => <StatusTag status={s.status} /> },
                  {
                    title: "",
                    render: (_, s) => (
                      <Can perm="service_booking:create">
                        <Enrol session={s} onDone={reload} />
                      </Can>
                    ),
                  },
                ]}
              />
            ),
          }}
          columns={[
            { title: t("services.title"), dataIndex: "title" },
            { title: t("services.provider"), dataIndex: "providerName" },
            { title: t("services.pricePerSeat"), render: (_, c) => <Money fen={c.priceFen} /> },
          ]}
        />
      </Card>
      <Card size="small" title={t("services.myEnrolments")}>
        <Table<Enrolment>
          rowKey="id"
          size="small"
          loading={mine.loading}
          dataSource={mine.data?.enrolments ?? []}
          locale={{ emptyText: t("services.noEnrolments") }}
          columns={[
            { title: t("services.title"), dataIndex: "courseTitle" },
            { title: t("services.attendee"), dataIndex: "attendee" },
            { title: t("services.startsAt"), render: (_, e) => <DateTime at={e.startsAt} /> },
            { title: t("services.pricePerSeat"), render: (_, e) => <Money fen={e.priceFen} /> },
            { title: t("services.state"), render: (_, e) => <StatusTag status={e.status} /> },
            {
              title: "",
              render: (_, e) =>
                e.status === "enrolled" ? (
                  <Can perm="service_booking:cancel">
                    <Button size="small" danger onClick={() => void cancel(e)}>
                      {t("services.cancelEnrolment")}
                    </Button>
                  </Can>
                ) : null,
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
