import { App, Form, InputNumber, Modal, Typography } from "antd";
import { useEffect, useState } from "react";
import { api, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";

type Settings = Answer<"/api/v1/replenishment/settings", "get">;
interface Values {
  critical: number;
  normal: number;
  slow: number;
  leadDays: number;
  reviewDays: number;
}

/** Service levels per part class and lead time / review period (PUT /replenishment/settings: the company admin). */
export function ServiceLevels({
  open,
  settings,
  onClose,
}: {
  open: boolean;
  settings: Settings;
  onClose(saved: boolean): void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (open)
      form.setFieldsValue({
        critical: Math.round(settings.criticalLevel * 1000) / 10,
        normal: Math.round(settings.normalLevel * 1000) / 10,
        slow: Math.round(settings.slowLevel * 1000) / 10,
        leadDays: settings.leadDays,
        reviewDays: settings.reviewDays,
      });
  }, [open, settings, form]);
  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await api.PUT("/api/v1/replenishment/settings", {
        body: {
          criticalLevel: v.critical / 100,
          normalLevel: v.normal / 100,
          slowLevel: v.slow / 100,
          leadDays: v.leadDays,
          reviewDays: v.reviewDays,
        },
      } as never);
      message.success(t("replen.settings.saved"));
      onClose(true);
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setSaving(false);
    }
  };
  const level = { min: 50.1, max: 99.9, step: 0.5, suffix: "%", style: { width: 140 } } as const;
  return (
    <Modal
      open={open}
      title={t("replen.settings")}
      okText={t("replen.settings.save")}
      confirmLoading={saving}
      onOk={save}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t("replen.settings.hint")}</Typography.Paragraph>
      <Form form={form} layout="horizontal" labelCol={{ span: 10 }} name="service-levels">
        <Form.Item name="critical" label={t("replen.class.critical")} rules={[{ required: true }]}>
          <InputNumber {...level} />
        </Form.Item>
        <Form.Item name="normal" label={t("replen.class.normal")} rules={[{ required: true }]}>
          <InputNumber {...level} />
        </Form.Item>
        <Form.Item name="slow" label={t("replen.class.slow")} rules={[{ required: true }]}>
          <InputNumber {...level} />
        </Form.Item>
        <Form.Item name="leadDays" label={t("replen.settings.lead")} rules={[{ required: true }]}>
          <InputNumber min={1} max={6} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item
          name="reviewDays"
          label={t("replen.settings.review")}
          dependencies={["leadDays"]}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_, v: number) =>
                (getFieldValue("leadDays") as number) + v <= 7
                  ? Promise.resolve()
                  : Promise.reject(new Error(t("replen.settings.tooLong"))),
            }),
          ]}
        >
          <InputNumber min={1} max={6} style={{ width: 140 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
