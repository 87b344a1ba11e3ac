/**
 * The search vocabulary the platform's catalogue team keeps (issue 13, DECISIONS 63): the synonym table (search,
 * add, edit, delete, import a CSV with a per-row result) and the brands learned from imports. Search reads every
 * change at once.
 */
import { Tabs } from "antd";
import { useT } from "../../i18n";
import { BrandsTab } from "./BrandsTab";
import { SynonymsTab } from "./SynonymsTab";

export default function Vocabulary() {
  const t = useT();
  return (
    <Tabs
      items={[
        { key: "synonyms", label: t("vocab.tab.synonyms"), children: <SynonymsTab /> },
        { key: "brands", label: t("vocab.tab.brands"), children: <BrandsTab /> },
      ]}
    />
  );
}
